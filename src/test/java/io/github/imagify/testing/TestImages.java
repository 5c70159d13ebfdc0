package io.github.imagify.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import ij.ImagePlus;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import io.github.imagify.io.ImageFiles;

/** Synthetic training images with structure a small network can learn: smooth blobs and edges. */
public final class TestImages {

	private TestImages() {}

	public static ByteProcessor blobs(int w, int h, long seed) {
		Random rng = new Random(seed);
		double[][] centres = new double[6][];
		for (int i = 0; i < centres.length; i++)
			centres[i] = new double[] { rng.nextDouble() * w, rng.nextDouble() * h, 4 + rng.nextDouble() * w / 5, 60 + rng.nextDouble() * 150 };
		ByteProcessor bp = new ByteProcessor(w, h);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				double v = 30;
				for (double[] c : centres) {
					double d2 = (x - c[0]) * (x - c[0]) + (y - c[1]) * (y - c[1]);
					v += c[3] * Math.exp(-d2 / (2 * c[2] * c[2]));
				}
				if (x > w / 2) v += 20; // an edge
				bp.set(x, y, (int) Math.min(255, v));
			}
		return bp;
	}

	/** Writes {@code count} grey PNGs of {@code size} x {@code size} into a new folder. */
	public static Path folder(Path parent, String name, int count, int size, long seed) throws IOException {
		Path dir = Files.createDirectories(parent.resolve(name));
		for (int i = 0; i < count; i++)
			ImageFiles.write(new ImagePlus("img" + i, blobs(size, size, seed + i)), dir.resolve("img" + i + ".png"));
		return dir;
	}

	/**
	 * Writes {@code count} 32-bit TIFF stacks {@code img0.tif, img1.tif, ...} of {@code planes} planes of {@code size} x
	 * {@code size}: {@link #blobs} shifted by {@code offset} (negative values where it is negative) with Gaussian noise of
	 * {@code sigma} (0: the clean truth; the same seed gives the same scenes, the noise seed its noise).
	 */
	public static Path floatStacks(Path parent, String name, int count, int planes, int size, long seed, double offset, double sigma, long noiseSeed)
			throws IOException {
		Path dir = Files.createDirectories(parent.resolve(name));
		Random noise = new Random(noiseSeed);
		for (int i = 0; i < count; i++) {
			ij.ImageStack stack = new ij.ImageStack(size, size);
			for (int p = 0; p < planes; p++) {
				ij.process.FloatProcessor fp = blobs(size, size, seed + 10L * i + p).convertToFloatProcessor();
				float[] v = (float[]) fp.getPixels();
				for (int k = 0; k < v.length; k++) v[k] += (float) (offset + sigma * noise.nextGaussian());
				stack.addSlice(fp);
			}
			ImageFiles.write(new ImagePlus("img" + i, stack), dir.resolve("img" + i + ".tif"));
		}
		return dir;
	}

	/** Writes {@code count} RGB PNGs {@code c0.png, c1.png, ...} of {@code size} x {@code size} into a new folder. */
	public static Path rgbFolder(Path parent, String name, int count, int size, long seed) throws IOException {
		Path dir = Files.createDirectories(parent.resolve(name));
		for (int i = 0; i < count; i++)
			ImageFiles.write(new ImagePlus("c" + i, rgb(size, size, seed + i)), dir.resolve("c" + i + ".png"));
		return dir;
	}

	public static ColorProcessor rgb(int w, int h, long seed) {
		ByteProcessor r = blobs(w, h, seed), g = blobs(w, h, seed + 100), b = blobs(w, h, seed + 200);
		ColorProcessor cp = new ColorProcessor(w, h);
		cp.setRGB((byte[]) r.getPixels(), (byte[]) g.getPixels(), (byte[]) b.getPixels());
		return cp;
	}
}
