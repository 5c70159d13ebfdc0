package io.github.imagify.restore;

import static org.junit.jupiter.api.Assertions.*;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileInfo;
import ij.io.Opener;
import ij.process.ShortProcessor;
import io.github.imagify.image.FloatImage;
import io.github.imagify.image.FloatVolume;
import io.github.imagify.image.PlaneView;
import io.github.imagify.imagej.ImagePlusImages;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.modelfile.ModelFile;
import io.github.imagify.onnx.TestModels3d;
import io.github.imagify.testing.ChildJvm;
import io.github.imagify.testing.TestModels;

/**
 * A 16384x16384 16-bit image (512 MB of pixels, 1 GB as a float result) restores through the launcher in a
 * JVM with -Xmx2g: tiles stream from the input's pixels into the result's, so the heap holds the two and
 * nothing else of that size. A Z-stack restores as one volume with a 3D model the same way. A small real network
 * keeps the runs short; memory does not depend on the model.
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

		restoreInChildJvm("2g", input, output, modelFile);

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

	/**
	 * A 32 x 2048 x 2048 16-bit Z-stack (256 MB of voxels, 512 MB as a float result, far more than one 64^3 tile)
	 * restores as one volume with a 3D model through the launcher in -Xmx1200m: one float copy of the stack more
	 * (another 512 MB) would not fit. Its first band of tile rows equals that band restored here from the same planes.
	 */
	@Test
	void aZStackOf32x2048x2048RestoresAsOneVolumeIn1200Megabytes() throws Exception {
		int planes = 32, size = 2048;
		ModelFile model = TestModels3d.tinyUNet(true, 2, 7);
		Path modelFile = dir.resolve("tiny-3d.zip");
		model.write(modelFile);
		ImageStack stack = new ImageStack(size, size);
		Random random = new Random(5);
		for (int z = 0; z < planes; z++) {
			short[] p = new short[size * size];
			for (int y = 0; y < size; y++)
				for (int x = 0; x < size; x++)
					p[y * size + x] = (short) (1000 + (x ^ y ^ z * 37) % 3000 + random.nextInt(400));
			stack.addSlice(new ShortProcessor(size, size, p, null));
		}
		ImagePlus imp = new ImagePlus("stack", stack);
		imp.setDimensions(1, planes, 1);
		Path input = dir.resolve("stack.tif"), output = dir.resolve("stack-restored.tif");
		ImageFiles.write(imp, input);

		restoreInChildJvm("1200m", input, output, modelFile);

		FileInfo[] info = new Opener().getTiffFileInfo(output.toString());
		assertEquals(size, info[0].width);
		assertEquals(size, info[0].height);
		assertEquals(planes, info.length == 1 ? info[0].nImages : info.length);
		assertEquals(FileInfo.GRAY32_FLOAT, info[0].fileType);
		int rows;
		FloatVolume expected;
		try (Restorer restorer = new Restorer(model, Restorer.AUTOMATIC_TILE_SIZE, 2)) {
			int[] band = restorer.band(size, 1, size / Restorer.DEFAULT_TILE_SIZE_3D); // the first of 32 bands
			assertEquals(0, band[0]);
			rows = band[1];
			expected = new FloatVolume(1, planes, rows, size);
			List<PlaneView> raw = new ArrayList<>();
			for (int z = 1; z <= planes; z++) raw.add(ImagePlusImages.view(stack.getProcessor(z)));
			assertTrue(restorer.restoreVolume(raw, 0, rows, expected.planes(), null));
		}
		long planeBytes = (long) size * size * 4;
		try (RandomAccessFile file = new RandomAccessFile(output.toFile(), "r")) {
			for (int z = 0; z < planes; z++) {
				FileInfo plane = info[info.length == 1 ? 0 : z];
				long offset = info.length == 1 ? plane.getOffset() + z * (planeBytes + plane.gapBetweenImages) : plane.getOffset();
				ByteBuffer written = ByteBuffer.allocate(rows * size * 4).order(plane.intelByteOrder ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
				file.getChannel().read(written, offset);
				written.flip();
				float[] want = expected.data();
				int base = z * rows * size;
				for (int i = 0; i < rows * size; i++) {
					float got = written.getFloat(), w = want[base + i];
					if (Math.abs(got - w) > 1e-3f * Math.max(1, Math.abs(w)))
						fail("voxel (" + i % size + ", " + i / size + ", " + z + ") is " + got + ", restored alone " + w);
				}
			}
		}
	}

	/** The launcher's Denoise on {@code input} in a new JVM with this heap; fails with the child's log unless it succeeds. */
	private void restoreInChildJvm(String heap, Path input, Path output, Path modelFile) throws Exception {
		Path log = dir.resolve("child-" + heap + ".log");
		Process child = new ProcessBuilder(ChildJvm.commandWithHeap(heap, "io.github.imagify.cli.Main", "--run", "Imagify Denoise",
				"input='" + input + "',output='" + output + "',model='" + modelFile + "',threads=2"))
				.redirectErrorStream(true).redirectOutput(log.toFile()).start();
		assertEquals(0, child.waitFor(), "the launcher restores it in -Xmx" + heap + ":\n" + Files.readString(log));
	}
}
