package io.github.imagify.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.ImageStack;
import io.github.imagify.testing.Fuzz;
import io.github.imagify.testing.TestImages;

/**
 * Damaged image files (fixed seeds) must open or fail with the one-line IOException; never an OutOfMemoryError,
 * a hang or a stray RuntimeException. Before {@link ImageHeaders}, TIFF tags claiming billions of values made
 * ImageJ run out of memory or read for minutes, and PNG/JPEG headers could claim any size.
 */
class ImageFilesFuzzTest {

	@TempDir
	static Path dir;
	static final List<Path> seeds = new ArrayList<>();
	static Fuzz fuzz;

	@BeforeAll
	static void seeds() throws IOException {
		ImagePlus grey = new ImagePlus("g", TestImages.blobs(40, 30, 1));
		ImagePlus rgb = new ImagePlus("c", TestImages.rgb(40, 30, 2));
		ImagePlus floats = new ImagePlus("f", TestImages.blobs(40, 30, 3).convertToFloat());
		ImageStack stack = new ImageStack(40, 30);
		for (int i = 0; i < 3; i++) stack.addSlice(TestImages.blobs(40, 30, i).convertToShort(false));
		Object[][] all = { { grey, ".tif" }, { floats, ".tif" }, { rgb, ".tif" }, { new ImagePlus("s", stack), ".tif" },
				{ grey, ".png" }, { rgb, ".png" }, { grey, ".jpg" }, { rgb, ".jpg" } };
		for (Object[] o : all) {
			Path p = dir.resolve("seed" + seeds.size() + o[1]);
			ImageFiles.write((ImagePlus) o[0], p);
			seeds.add(p);
		}
		fuzz = new Fuzz();
	}

	@AfterAll
	static void close() {
		fuzz.close();
	}

	@Test
	void seedsOpen() {
		for (Path p : seeds) assertNotNull(fuzz.run(p.toString(), () -> ImageFiles.read(p)));
	}

	@Test
	void mutatedImages() throws IOException {
		Random r = new Random(5);
		for (int i = 0; i < 1200; i++) {
			Path seed = seeds.get(r.nextInt(seeds.size()));
			byte[] b = Files.readAllBytes(seed);
			b = r.nextInt(3) == 0 ? headerField(b, r) : Fuzz.mutate(b, r, 300);
			String name = seed.getFileName().toString();
			Path p = dir.resolve("case-" + name);
			Files.write(p, b);
			fuzz.run("image case " + i + " from " + name, () -> ImageFiles.read(p));
		}
	}

	@Test
	void hugeDeclaredSizesAreRefusedBeforeDecoding() throws IOException {
		byte[] png = Files.readAllBytes(seeds.get(4));
		setPngSize(png, 60_000, 60_000);
		Path p = dir.resolve("huge.png");
		Files.write(p, png);
		IOException e = assertThrows(IOException.class, () -> ImageFiles.read(p));
		assertTrue(e.getMessage().contains("60000x60000"), e.getMessage());
	}

	/** Sets a TIFF entry's count or value, a PNG's width or height (with a valid CRC), or a JPEG frame's size to something large or odd. */
	static byte[] headerField(byte[] b, Random r) {
		int[] values = { 0, 1, 0xffff, 0x7fff_ffff, 0xffff_ffff, 65_535, 100_000, 46_341 };
		int v = values[r.nextInt(values.length)];
		if (b[0] == 'I' || b[0] == 'M') {
			ByteBuffer buf = ByteBuffer.wrap(b).order(b[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
			int ifd = buf.getInt(4), n = buf.getShort(ifd) & 0xffff;
			int entry = ifd + 2 + 12 * r.nextInt(n);
			int type = buf.getShort(entry + 2);
			if (r.nextBoolean()) buf.putInt(entry + 4, v);
			else if (type == 3) buf.putShort(entry + 8, (short) v);
			else buf.putInt(entry + 8, v);
		} else if (b[0] == (byte) 0x89) {
			setPngSize(b, r.nextBoolean() ? v : 40, r.nextBoolean() ? v : 30);
		} else {
			for (int i = 2; i + 9 < b.length; i++)
				if (b[i] == (byte) 0xff && (b[i + 1] == (byte) 0xc0 || b[i + 1] == (byte) 0xc2)) {
					ByteBuffer.wrap(b).putShort(i + 5 + (r.nextBoolean() ? 0 : 2), (short) v);
					break;
				}
		}
		return b;
	}

	/** IHDR width and height, and its CRC recomputed so the decoder believes them. */
	static void setPngSize(byte[] png, int width, int height) {
		ByteBuffer buf = ByteBuffer.wrap(png);
		buf.putInt(16, width).putInt(20, height);
		CRC32 crc = new CRC32();
		crc.update(png, 12, 17);
		buf.putInt(29, (int) crc.getValue());
	}
}
