package io.github.imagify.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Checks what an image file's header declares before ImageJ decodes it. ImageJ believes headers: fuzzing
 * showed TIFF tags whose value counts run to billions (ImageJ allocates or loops on them: out of memory, or
 * minutes spent reading past the end of the file), and a PNG or JPEG header may claim any width and height,
 * which the decoder allocates before it finds the data missing. Here every TIFF tag must lie inside the file,
 * IFD chains must not loop, PNG chunks must be complete with matching checksums, and the declared pixels must fit in memory (and, for deflate-compressed PNG, be
 * decodable from a file of this size). Formats other than TIFF, PNG, JPEG, GIF and BMP are left to ImageJ.
 */
final class ImageHeaders {

	/** Decompression ratios beyond this are not images but damage (deflate's own limit is ~1032:1). */
	static final long MAX_RATIO = 2048;
	static final int MAX_IFDS = 1 << 20;

	private ImageHeaders() {}

	/** @throws IOException one line: what the header claims and what to do */
	static void check(Path path) throws IOException {
		long length = Files.size(path);
		try (FileChannel ch = FileChannel.open(path)) {
			ByteBuffer head = read(ch, length, 0, (int) Math.min(length, 8), path);
			int b0 = head.remaining() > 1 ? head.get(0) & 0xff : -1, b1 = head.remaining() > 1 ? head.get(1) & 0xff : -1;
			if ((b0 == 'I' && b1 == 'I') || (b0 == 'M' && b1 == 'M')) {
				head.order(b0 == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
				if (head.remaining() == 8 && head.getShort(2) == 42) tiff(ch, length, head.order(), path);
			} else if ((b0 == 0x89 && b1 == 'P') || (b0 == 0xff && b1 == 0xd8) || (b0 == 'G' && b1 == 'I') || (b0 == 'B' && b1 == 'M')) {
				if (b0 == 0x89) pngChunks(ch, length, path);
				other(path, length);
			}
		}
	}

	/** Walks the IFD chain: every entry's values inside the file, no loops, plane sizes ImageJ can hold. */
	private static void tiff(FileChannel ch, long length, ByteOrder order, Path path) throws IOException {
		long ifd = read(ch, length, 4, 4, path).order(order).getInt() & 0xffffffffL, total = 0;
		Set<Long> seen = new HashSet<>();
		while (ifd != 0) {
			if (!seen.add(ifd) || seen.size() > MAX_IFDS) throw damaged(path, "its chain of image directories loops");
			int n = read(ch, length, ifd, 2, path).order(order).getShort() & 0xffff;
			ByteBuffer dir = read(ch, length, ifd + 2, 12 * n + 4, path).order(order);
			long width = 0, height = 0, samples = 1, bits = 1, compression = 1;
			long[] stripOffsets = null, stripBytes = null;
			for (int i = 0; i < n; i++) {
				int tag = dir.getShort(12 * i) & 0xffff, type = dir.getShort(12 * i + 2) & 0xffff;
				long count = dir.getInt(12 * i + 4) & 0xffffffffL, bytes = count * typeSize(type);
				long value = type == 3 ? dir.getShort(12 * i + 8) & 0xffff : dir.getInt(12 * i + 8) & 0xffffffffL;
				if (bytes > 4 && (dir.getInt(12 * i + 8) & 0xffffffffL) + bytes > length)
					throw damaged(path, "tag " + tag + " claims " + count + " values beyond the end of the file");
				switch (tag) {
					case 256 -> width = value;
					case 257 -> height = value;
					case 258 -> bits = bytes > 4 ? read(ch, length, value, 2, path).order(order).getShort() & 0xffff : value;
					case 259 -> compression = value;
					case 277 -> samples = value;
					case 273 -> stripOffsets = values(ch, length, dir, 12 * i, type, count, order, path);
					case 279 -> stripBytes = values(ch, length, dir, 12 * i, type, count, order, path);
					default -> {}
				}
			}
			long plane = planeBytes(width, height, samples * ((bits + 7) / 8), path);
			if (compression != 1 && plane > MAX_RATIO * length + (1 << 20))
				throw damaged(path, "it declares " + width + "x" + height + " compressed pixels, far more than its " + length + " bytes can hold");
			if (compression == 1 && stripOffsets != null) { // uncompressed: ImageJ would fill what is missing with zeros
				long end = 0;
				for (int k = 0; k < stripOffsets.length; k++)
					end = Math.max(end, stripOffsets[k] + (stripBytes != null && k < stripBytes.length ? stripBytes[k] : plane / stripOffsets.length));
				if (end > length) throw damaged(path, "it is truncated (its pixels end at byte " + end + " of " + length + ")");
			}
			total = Math.addExact(total, plane);
			fitsInMemory(total, path);
			ifd = dir.getInt(12 * n) & 0xffffffffL;
		}
	}

	/** A SHORT or LONG array field (strip offsets, byte counts), already known to lie inside the file. */
	private static long[] values(FileChannel ch, long length, ByteBuffer dir, int entry, int type, long count, ByteOrder order, Path path)
			throws IOException {
		if ((type != 3 && type != 4) || count < 1) throw damaged(path, "its strip tags are malformed");
		int size = type == 3 ? 2 : 4;
		ByteBuffer data = count * size <= 4 ? dir.slice(entry + 8, 4).order(order) : read(ch, length, dir.getInt(entry + 8) & 0xffffffffL, (int) (count * size), path).order(order);
		long[] v = new long[(int) count];
		for (int k = 0; k < v.length; k++) v[k] = size == 2 ? data.getShort(2 * k) & 0xffff : data.getInt(4 * k) & 0xffffffffL;
		return v;
	}

	/** PNG, JPEG, GIF, BMP: the width and height from the header through Java's own readers, which read no pixels. */
	private static void other(Path path, long length) throws IOException {
		try (ImageInputStream in = ImageIO.createImageInputStream(path.toFile())) {
			Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
			if (readers == null || !readers.hasNext()) return; // ImageJ will say it cannot open it
			ImageReader reader = readers.next();
			long width, height;
			try {
				reader.setInput(in, true, true);
				width = reader.getWidth(0);
				height = reader.getHeight(0);
			} catch (IOException | RuntimeException e) {
				return; // an unreadable header: ImageJ's decoder fails on it too, with the usual message
			} finally {
				reader.dispose();
			}
			long plane = planeBytes(width, height, 4, path); // ImageJ holds RGB as one int per pixel
			if (reader.getFormatName().equalsIgnoreCase("png") && plane > MAX_RATIO * length + (1 << 20))
				throw damaged(path, "it declares " + width + "x" + height + " pixels, far more than its " + length + " bytes can hold");
			fitsInMemory(plane, path);
		}
	}

	/**
	 * Every PNG chunk complete with a matching CRC, up to IEND: ImageJ's PNG reader prints its own stack of
	 * messages on damaged data, and the user should see one line.
	 */
	private static void pngChunks(FileChannel ch, long length, Path path) throws IOException {
		long at = 8;
		while (true) {
			ByteBuffer head = read(ch, length, at, 8, path);
			long size = head.getInt(0) & 0xffffffffL;
			if (at + 12 + size > length) throw damaged(path, "it is truncated (a PNG chunk runs past the end of the file)");
			ByteBuffer chunk = read(ch, length, at + 4, (int) size + 4, path);
			CRC32 crc = new CRC32();
			crc.update(chunk);
			if ((int) crc.getValue() != read(ch, length, at + 8 + size, 4, path).getInt())
				throw damaged(path, "a PNG chunk's checksum does not match its data");
			if (head.getInt(4) == 0x49454e44) return; // IEND
			at += 12 + size;
		}
	}

	private static long planeBytes(long width, long height, long bytesPerPixel, Path path) throws IOException {
		if (width < 1 || height < 1) throw damaged(path, "it declares " + width + "x" + height + " pixels");
		if (width * height > Integer.MAX_VALUE)
			throw new IOException("Cannot read " + path + ": it declares " + width + "x" + height
					+ " pixels per plane, more than ImageJ can hold (2^31); split the image into tiles first");
		return width * height * Math.max(1, bytesPerPixel);
	}

	/**
	 * The decoded pixels must fit in half the Java heap: restoring streams tiles from them into a result of
	 * the same or twice the size (16-bit to float), and holds no other copy.
	 */
	private static void fitsInMemory(long bytes, Path path) throws IOException {
		long max = Runtime.getRuntime().maxMemory() / 2;
		if (bytes > max)
			throw new IOException("Cannot read " + path + ": its pixels need " + (bytes >> 20) + " MB, more than half of the "
					+ (max * 2 >> 20) + " MB Java may use; give Java more memory (Fiji: Edit > Options > Memory & Threads; headless: -Xmx) or split the image");
	}

	private static ByteBuffer read(FileChannel ch, long length, long position, int size, Path path) throws IOException {
		if (position < 0 || position + size > length) throw damaged(path, "it is truncated (its header points past the end of the file)");
		ByteBuffer b = ByteBuffer.allocate(size);
		while (b.hasRemaining()) if (ch.read(b, position + b.position()) < 0) throw damaged(path, "it is truncated");
		return b.flip();
	}

	/** Bytes per value of a TIFF field type; unknown types count as one byte. */
	private static long typeSize(int type) {
		return switch (type) {
			case 3, 8 -> 2;
			case 4, 9, 11, 13 -> 4;
			case 5, 10, 12 -> 8;
			default -> 1;
		};
	}

	private static IOException damaged(Path path, String why) {
		return new IOException("Cannot read " + path + ": " + why + "; the file is damaged, save it again from the program that made it");
	}
}
