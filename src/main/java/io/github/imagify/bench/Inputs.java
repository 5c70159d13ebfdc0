package io.github.imagify.bench;

import java.util.Random;

import ij.ImagePlus;
import ij.process.ByteProcessor;
import ij.process.ShortProcessor;
import io.github.imagify.image.FloatImage;

/**
 * Synthetic, seeded test images: smooth gradients, ripples and discs (structure for the network, so nothing
 * is trivially flat) plus Gaussian noise. The network's cost does not depend on content; this only keeps the
 * normalisation and the data path realistic.
 */
final class Inputs {

	private Inputs() {}

	/** The clean pattern at (y, x), in 0..1. */
	private static double pattern(int y, int x, int size) {
		double u = (double) x / size, v = (double) y / size;
		double ripple = 0.5 + 0.5 * Math.sin(40 * u + 7 * Math.sin(9 * v));
		int cx = (x / 64) * 64 + 32, cy = (y / 64) * 64 + 32;
		boolean disc = (x - cx) * (x - cx) + (y - cy) * (y - cy) < 20 * 20;
		return 0.15 + 0.45 * u * v + 0.25 * ripple + (disc ? 0.15 : 0);
	}

	/** A noisy 16-bit image, as a microscope would give: values around 1,000..50,000, noise sigma 2,500. */
	static ImagePlus noisy16(int size, long seed) {
		short[] pixels = new short[size * size];
		Random rng = new Random(seed);
		for (int y = 0; y < size; y++)
			for (int x = 0; x < size; x++) {
				double v = 1000 + 45000 * pattern(y, x, size) + 2500 * rng.nextGaussian();
				pixels[y * size + x] = (short) Math.max(0, Math.min(65535, Math.round(v)));
			}
		return new ImagePlus("bench-" + size, new ShortProcessor(size, size, pixels, null));
	}

	/** A clean 8-bit image for training (the training path adds its own noise). */
	static ImagePlus clean8(int size, long seed) {
		byte[] pixels = new byte[size * size];
		int shift = new Random(seed).nextInt(size);
		for (int y = 0; y < size; y++)
			for (int x = 0; x < size; x++) pixels[y * size + x] = (byte) Math.round(255 * pattern(y, (x + shift) % size, size));
		return new ImagePlus("clean-" + seed, new ByteProcessor(size, size, pixels));
	}

	/** A noisy image already in the network's normalised units (about 0..1), channels x size x size. */
	static FloatImage normalized(int channels, int size, long seed) {
		FloatImage image = new FloatImage(channels, size, size);
		Random rng = new Random(seed);
		for (int c = 0; c < channels; c++)
			for (int y = 0; y < size; y++)
				for (int x = 0; x < size; x++) image.set(c, y, x, (float) (pattern(y, x, size) + 0.1 * rng.nextGaussian()));
		return image;
	}
}
