package io.github.imagify.restore;

import static org.junit.jupiter.api.Assertions.*;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.io.FileInfo;
import ij.io.Opener;
import ij.process.ShortProcessor;
import io.github.imagify.image.FloatImage;
import io.github.imagify.imagej.ImagePlusImages;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.modelfile.ModelFile;
import io.github.imagify.testing.ChildJvm;
import io.github.imagify.testing.TestModels;

/**
 * A 16384x16384 16-bit image (512 MB of pixels, 1 GB as a float result) restores through the launcher in a
 * JVM with -Xmx2g: tiles stream from the input's pixels into the result's, so the heap holds the two and
 * nothing else of that size. A small real network keeps the run short; memory does not depend on the model.
 */
class BoundedMemoryTest {

	static final int SIZE = 16384;

	@TempDir
	Path dir;

	@Test
	void sixteenKSquared16BitRestoresInTwoGigabytes() throws Exception {
		ModelFile model = TestModels.randomModel(1, 1, 2, 5);
		Path modelFile = dir.resolve("tiny.zip");
		model.write(modelFile);
		ShortProcessor pixels = new ShortProcessor(SIZE, SIZE);
		short[] p = (short[]) pixels.getPixels();
		Random random = new Random(3);
		for (int y = 0; y < SIZE; y++)
			for (int x = 0; x < SIZE; x++)
				p[y * SIZE + x] = (short) (1000 + (x ^ y) % 3000 + random.nextInt(400));
		Path input = dir.resolve("big.tif"), output = dir.resolve("big-restored.tif");
		ImageFiles.write(new ImagePlus("big", pixels), input);

		Path log = dir.resolve("child.log");
		Process child = new ProcessBuilder(ChildJvm.commandWithHeap("2g", "io.github.imagify.cli.Main", "--run", "Imagify Denoise",
				"input='" + input + "',output='" + output + "',model='" + modelFile + "',threads=2"))
				.redirectErrorStream(true).redirectOutput(log.toFile()).start();
		int code = child.waitFor();
		assertEquals(0, code, "the launcher restores it in -Xmx2g:\n" + Files.readString(log));

		// the result: a 16384x16384 32-bit TIFF whose first tile row equals that band restored here
		FileInfo[] info = new Opener().getTiffFileInfo(output.toString());
		assertEquals(1, info.length);
		assertEquals(SIZE, info[0].width);
		assertEquals(SIZE, info[0].height);
		assertEquals(FileInfo.GRAY32_FLOAT, info[0].fileType);
		int rows = Restorer.DEFAULT_TILE_SIZE;
		FloatImage expected = new FloatImage(1, rows, SIZE);
		try (Restorer restorer = new Restorer(model, Restorer.DEFAULT_TILE_SIZE, 2)) {
			assertTrue(restorer.restore(ImagePlusImages.view(pixels), 0, rows, expected, null));
		}
		ByteBuffer written = ByteBuffer.allocate(rows * SIZE * 4).order(info[0].intelByteOrder ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
		try (RandomAccessFile file = new RandomAccessFile(output.toFile(), "r")) {
			file.getChannel().read(written, info[0].getOffset());
		}
		written.flip();
		for (int i = 0; i < rows * SIZE; i++) {
			float got = written.getFloat(), want = expected.data()[i];
			if (Math.abs(got - want) > 1e-3f * Math.max(1, Math.abs(want)))
				fail("pixel (" + i % SIZE + ", " + i / SIZE + ") is " + got + ", restored alone " + want);
		}
	}
}
