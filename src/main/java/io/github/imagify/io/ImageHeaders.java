package io.github.imagify.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Checks what a PNG, JPEG, GIF or BMP header declares before ImageJ decodes it (TIFFs: {@link TiffDirectories}), and
 * the refusals both share.
 * ImageJ believes headers: a PNG or JPEG header may claim any width and height, which the decoder allocates
 * before it finds the data missing. Here PNG chunks must be complete with matching checksums, and the declared
 * pixels must fit in memory (and, for deflate-compressed PNG, be decodable from a file of this size). Other
 * formats are left to ImageJ.
 */
final class ImageHeaders {

	/** Decompression ratios beyond this are not images but damage (deflate's own limit is ~1032:1). */
	static final long MAX_RATIO = 2048;


	private ImageHeaders() {}

	/** @throws IOException one line: what the header claims and what to do */
	static void check(Path path) throws IOException {
		long length = Files.size(path);
		try (FileChannel ch = FileChannel.open(path)) {
			ByteBuffer head = read(ch, length, 0, (int) Math.min(length, 8), path);
			int b0 = head.remaining() > 1 ? head.get(0) & 0xff : -1, b1 = head.remaining() > 1 ? head.get(1) & 0xff : -1;
			if ((b0 == 0x89 && b1 == 'P') || (b0 == 0xff && b1 == 0xd8) || (b0 == 'G' && b1 == 'I') || (b0 == 'B' && b1 == 'M')) {
				if (b0 == 0x89) pngChunks(ch, length, path);
				other(path, length);
			}
		}
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

	/** {@code size} bytes at {@code position}, or the one-line refusal of a file that ends before them. */
	static ByteBuffer read(FileChannel ch, long length, long position, int size, Path path) throws IOException {
		if (position < 0 || position + size > length) throw damaged(path, "it is truncated (its header points past the end of the file)");
		ByteBuffer b = ByteBuffer.allocate(size);
		while (b.hasRemaining()) if (ch.read(b, position + b.position()) < 0) throw damaged(path, "it is truncated");
		return b.flip();
	}

	/** One line: what is wrong with the file, and to save it again. */
	static IOException damaged(Path path, String why) {
		return new IOException("Cannot read " + path + ": " + why + "; the file is damaged, save it again from the program that made it");
	}

	/**
	 * The decoded pixels must fit in half the Java heap: restoring streams tiles from them into a result of
	 * the same or twice the size (16-bit to float), and holds no other copy.
	 */
	static void fitsInMemory(long bytes, Path path) throws IOException {
		long max = Runtime.getRuntime().maxMemory() / 2;
		if (bytes > max)
			throw new IOException("Cannot read " + path + ": its pixels need " + (bytes >> 20) + " MB, more than half of the "
					+ (max * 2 >> 20) + " MB Java may use; give Java more memory (Fiji: Edit > Options > Memory & Threads; headless: -Xmx) or split the image");
	}

}
