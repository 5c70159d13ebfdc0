package io.github.imagify.io;

import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

import com.twelvemonkeys.imageio.metadata.CompoundDirectory;
import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;

/**
 * A TIFF file's image directories, read by TwelveMonkeys' TIFF metadata reader, the same one its image reader
 * decodes with (classic and BigTIFF, strips and tiles, either byte order), and checked before any pixel is
 * decoded: ImageJ and the decoders believe what a header declares, and fuzzing found TIFF tags that claim
 * billions of values and planes no file can hold. Every check reads these fields, so a file the reader can
 * decode is never called damaged by a misread tag (libtiff's RGB files keep BitsPerSample out of line).
 */
final class TiffDirectories {

	static final int MAX_DIRECTORIES = 1 << 20;

	/** One image directory: what its pixels are and where they lie. */
	record Page(long width, long height, int samples, int bits, int sampleFormat, int compression, int predictor, int planar, int photometric,
			boolean tiled, long tileWidth, long tileHeight, long rowsPerStrip, long[] offsets, long[] byteCounts,
			boolean reducedResolution, String description) {

		/** Decoded bytes of this page. */
		long bytes() {
			return width * height * samples * Math.max(1, (bits + 7) / 8);
		}

		boolean sameShape(Page o) {
			return width == o.width && height == o.height && samples == o.samples && bits == o.bits && sampleFormat == o.sampleFormat;
		}
	}

	final boolean bigTiff;
	final List<Page> pages;

	private TiffDirectories(boolean bigTiff, List<Page> pages) {
		this.bigTiff = bigTiff;
		this.pages = pages;
	}

	/** True for the four TIFF signatures: II/MM, then 42 (classic) or 43 (BigTIFF). */
	static boolean isTiff(byte[] head) {
		if (head.length < 4) return false;
		boolean le = head[0] == 'I' && head[1] == 'I', be = head[0] == 'M' && head[1] == 'M';
		int version = le ? (head[2] & 0xff) | (head[3] & 0xff) << 8 : (head[2] & 0xff) << 8 | (head[3] & 0xff);
		return (le || be) && (version == 42 || version == 43);
	}

	/** Reads and checks every directory. @throws IOException one line: what is wrong and what to do */
	static TiffDirectories read(Path path) throws IOException {
		long length = Files.size(path);
		Directory root;
		try (ImageInputStream in = new FileImageInputStream(path.toFile())) {
			root = new TIFFReader().read(in);
		} catch (IOException | RuntimeException | OutOfMemoryError e) {
			throw ImageHeaders.damaged(path, "its image directories cannot be read (" + oneLine(e) + ")");
		}
		Chain chain = chain(path, length);
		List<Page> pages = new ArrayList<>();
		if (root instanceof CompoundDirectory c) for (int i = 0; i < c.directoryCount(); i++) pages.add(page(c.getDirectory(i)));
		else pages.add(page(root));
		if (pages.isEmpty()) throw ImageHeaders.damaged(path, "it holds no image directory");
		if (pages.size() != chain.directories) throw ImageHeaders.damaged(path, "only " + pages.size() + " of its " + chain.directories + " image directories can be read");
		long total = 0;
		for (Page p : pages) {
			check(p, length, path);
			if (p.sameShape(pages.get(0)) && !p.reducedResolution) total = Math.addExact(total, p.bytes());
		}
		ImageHeaders.fitsInMemory(total, path);
		return new TiffDirectories(chain.bigTiff, pages);
	}

	/** Pages that form the image: the first and every later full-resolution page of its shape (as ImageJ stacks them). */
	List<Integer> imagePages() {
		List<Integer> stack = new ArrayList<>();
		for (int i = 0; i < pages.size(); i++)
			if (i == 0 || (pages.get(i).sameShape(pages.get(0)) && !pages.get(i).reducedResolution)) stack.add(i);
		return stack;
	}

	/**
	 * The number of directories in the file's chain, each pointer checked: TwelveMonkeys' reader stops quietly at
	 * a pointer past the end, and a truncated stack would otherwise open with its first planes only.
	 */
	private record Chain(boolean bigTiff, int directories) {}

	private static Chain chain(Path path, long length) throws IOException {
		try (FileChannel ch = FileChannel.open(path)) {
			ByteBuffer head = ImageHeaders.read(ch, length, 0, 16, path);
			head.order(head.get(0) == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
			boolean big = head.getShort(2) == 43;
			int entry = big ? 20 : 12, countSize = big ? 8 : 2, pointer = big ? 8 : 4;
			long ifd = big ? head.getLong(8) : head.getInt(4) & 0xffffffffL;
			Set<Long> seen = new HashSet<>();
			while (ifd != 0) {
				if (!seen.add(ifd) || seen.size() > MAX_DIRECTORIES) throw ImageHeaders.damaged(path, "its chain of image directories loops");
				ByteBuffer count = ImageHeaders.read(ch, length, ifd, countSize, path).order(head.order());
				long n = big ? count.getLong(0) : count.getShort(0) & 0xffff;
				if (n < 0 || n > length / entry) throw ImageHeaders.damaged(path, "a directory claims " + n + " entries");
				ByteBuffer entries = ImageHeaders.read(ch, length, ifd + countSize, (int) (n * entry), path).order(head.order());
				for (int i = 0; i < n; i++) { // values kept out of line must lie inside the file: ImageJ allocates what a count claims
					long values = entries.getInt(i * entry + 4) & 0xffffffffL;
					int type = entries.getShort(i * entry + 2) & 0xffff;
					long bytes = (big ? entries.getLong(i * entry + 4) : values) * typeSize(type);
					long offset = big ? entries.getLong(i * entry + 12) : entries.getInt(i * entry + 8) & 0xffffffffL;
					if (bytes > pointer && (bytes < 0 || offset < 0 || offset + bytes > length))
						throw ImageHeaders.damaged(path, "tag " + (entries.getShort(i * entry) & 0xffff) + " claims values beyond the end of the file");
				}
				long next = ifd + countSize + n * entry;
				ByteBuffer link = ImageHeaders.read(ch, length, next, pointer, path).order(head.order());
				ifd = big ? link.getLong(0) : link.getInt(0) & 0xffffffffL;
			}
			return new Chain(big, seen.size());
		}
	}

	/** Bytes per value of a TIFF field type; unknown types count as one byte. */
	private static long typeSize(int type) {
		return switch (type) {
			case 3, 8 -> 2;
			case 4, 9, 11, 13 -> 4;
			case 5, 10, 12, 16, 17, 18 -> 8;
			default -> 1;
		};
	}


	private static Page page(Directory d) {
		long width = number(d, TIFF.TAG_IMAGE_WIDTH, -1), height = number(d, TIFF.TAG_IMAGE_HEIGHT, -1);
		int samples = (int) number(d, TIFF.TAG_SAMPLES_PER_PIXEL, 1);
		long[] bits = numbers(d, TIFF.TAG_BITS_PER_SAMPLE);
		long[] format = numbers(d, TIFF.TAG_SAMPLE_FORMAT);
		boolean tiled = d.getEntryById(TIFF.TAG_TILE_WIDTH) != null;
		long[] offsets = numbers(d, tiled ? TIFF.TAG_TILE_OFFSETS : TIFF.TAG_STRIP_OFFSETS);
		long[] counts = numbers(d, tiled ? TIFF.TAG_TILE_BYTE_COUNTS : TIFF.TAG_STRIP_BYTE_COUNTS);
		Entry description = d.getEntryById(TIFF.TAG_IMAGE_DESCRIPTION);
		return new Page(width, height, samples, bits.length > 0 ? (int) bits[0] : 1, format.length > 0 ? (int) format[0] : 1,
				(int) number(d, TIFF.TAG_COMPRESSION, 1), (int) number(d, TIFF.TAG_PREDICTOR, 1),
				(int) number(d, TIFF.TAG_PLANAR_CONFIGURATION, 1), (int) number(d, TIFF.TAG_PHOTOMETRIC_INTERPRETATION, 1), tiled, number(d, TIFF.TAG_TILE_WIDTH, 0),
				number(d, TIFF.TAG_TILE_HEIGTH, 0), number(d, TIFF.TAG_ROWS_PER_STRIP, height), offsets, counts,
				(number(d, TIFF.TAG_SUBFILE_TYPE, 0) & 1) != 0,
				description == null ? null : description.getValueAsString());
	}

	/** The pixel segments lie inside the file, there are as many as the layout needs, and they can hold the plane. */
	private static void check(Page p, long length, Path path) throws IOException {
		if (p.width < 1 || p.height < 1) throw ImageHeaders.damaged(path, "it declares " + p.width + "x" + p.height + " pixels");
		if (p.width * p.height > Integer.MAX_VALUE)
			throw new IOException("Cannot read " + path + ": it declares " + p.width + "x" + p.height
					+ " pixels per plane, more than ImageJ can hold (2^31); split the image into tiles first");
		if (p.samples < 1 || p.bits < 1 || p.bits > 64) throw ImageHeaders.damaged(path, "it declares " + p.samples + " samples of " + p.bits + " bits per pixel");
		if (p.offsets.length == 0 || p.offsets.length != p.byteCounts.length)
			throw ImageHeaders.damaged(path, "its pixel offsets and byte counts are missing or do not pair up");
		long across = p.tiled ? ceil(p.width, p.tileWidth) * ceil(p.height, p.tileHeight) : ceil(p.height, Math.min(p.rowsPerStrip, p.height));
		if (p.planar == 2) across *= p.samples;
		if (p.offsets.length < across) throw ImageHeaders.damaged(path, "it lists " + p.offsets.length + " pixel segments where its layout needs " + across);
		long stored = 0;
		for (int k = 0; k < p.offsets.length; k++) {
			long end = p.offsets[k] + p.byteCounts[k];
			if (p.offsets[k] < 0 || p.byteCounts[k] < 0 || end > length)
				throw ImageHeaders.damaged(path, "it is truncated (its pixels end at byte " + end + " of " + length + ")");
			stored += p.byteCounts[k];
		}
		if (p.compression == 1 && p.bits >= 8 && stored < p.bytes()) // ImageJ would fill what is missing with zeros
			throw ImageHeaders.damaged(path, "its pixels are incomplete (" + stored + " bytes stored of " + p.bytes() + ")");
		if (p.compression != 1 && p.bytes() > ImageHeaders.MAX_RATIO * stored + (1 << 20))
			throw ImageHeaders.damaged(path, "it declares " + p.width + "x" + p.height + " compressed pixels, far more than its " + stored + " stored bytes can hold");
	}

	private static long ceil(long a, long b) {
		return b < 1 ? Long.MAX_VALUE : (a + b - 1) / b;
	}

	private static long number(Directory d, int tag, long missing) {
		long[] v = numbers(d, tag);
		if (v.length == 0) return missing;
		return v[0];
	}

	/** A numeric field as unsigned longs (TwelveMonkeys gives Number, or a primitive array for several values). */
	private static long[] numbers(Directory d, int tag) {
		Entry e = d.getEntryById(tag);
		if (e == null || e.getValue() == null) return new long[0];
		Object v = e.getValue();
		if (v instanceof Number n) return new long[] { n.longValue() };
		if (!v.getClass().isArray()) return new long[0];
		long[] out = new long[Array.getLength(v)];
		for (int i = 0; i < out.length; i++) {
			Object x = Array.get(v, i);
			out[i] = x instanceof Number n ? n.longValue() : 0;
		}
		return out;
	}

	static String oneLine(Throwable e) {
		String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
		return m.replaceAll("\\s+", " ").trim();
	}

}
