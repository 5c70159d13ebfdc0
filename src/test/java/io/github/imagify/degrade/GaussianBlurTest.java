package io.github.imagify.degrade;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;

import org.junit.jupiter.api.Test;

import io.github.imagify.image.FloatImage;

class GaussianBlurTest {

	static FloatImage random(int c, int h, int w, long seed) {
		Random rng = new Random(seed);
		FloatImage img = new FloatImage(c, h, w);
		for (int i = 0; i < img.data().length; i++) img.data()[i] = rng.nextFloat() * 255;
		return img;
	}

	static double mean(FloatImage img) {
		double s = 0;
		for (float v : img.data()) s += v;
		return s / img.data().length;
	}

	static double variance(FloatImage img) {
		double m = mean(img), s = 0;
		for (float v : img.data()) s += (v - m) * (v - m);
		return s / img.data().length;
	}

	@Test
	void keepsTheMeanAndReducesVariance() {
		FloatImage img = random(2, 64, 80, 1);
		FloatImage blurred = new GaussianBlur(2).apply(img, 255, new Random(0));
		assertEquals(mean(img), mean(blurred), 1e-3 * mean(img));
		assertTrue(variance(blurred) < 0.2 * variance(img), "variance " + variance(blurred) + " vs " + variance(img));
	}

	@Test
	void deltaBecomesTheAnalyticGaussian() {
		double sigma = 1.7;
		FloatImage delta = new FloatImage(1, 41, 41);
		delta.set(0, 20, 20, 1);
		FloatImage b = GaussianBlur.blur(delta, sigma);
		int r = (int) Math.ceil(3 * sigma);
		double norm = 0;
		for (int i = -r; i <= r; i++) norm += Math.exp(-0.5 * i * i / (sigma * sigma));
		int[][] points = { { 0, 0 }, { 1, 0 }, { 2, 3 }, { -4, 1 }, { 5, -5 } };
		for (int[] p : points) {
			double expected = Math.exp(-0.5 * (p[0] * p[0] + p[1] * p[1]) / (sigma * sigma)) / (norm * norm);
			assertEquals(expected, b.get(0, 20 + p[0], 20 + p[1]), 1e-6, "at " + p[0] + "," + p[1]);
		}
		// the kernel is close to the continuous 2-D Gaussian at the centre
		assertEquals(1 / (2 * Math.PI * sigma * sigma), b.get(0, 20, 20), 1e-3);
		assertEquals(0, b.get(0, 20, 20 + r + 1)); // nothing beyond the radius
	}

	@Test
	void isSymmetric() {
		FloatImage delta = new FloatImage(1, 21, 21);
		delta.set(0, 10, 10, 100);
		FloatImage b = new GaussianBlur(1.3).apply(delta, 255, new Random(0));
		for (int dy = -6; dy <= 6; dy++)
			for (int dx = -6; dx <= 6; dx++) {
				float v = b.get(0, 10 + dy, 10 + dx);
				assertEquals(v, b.get(0, 10 - dy, 10 + dx), 1e-6);
				assertEquals(v, b.get(0, 10 + dy, 10 - dx), 1e-6);
				assertEquals(v, b.get(0, 10 + dx, 10 + dy), 1e-6);
			}
	}

	@Test
	void sigmaZeroIsAnIdentityCopy() {
		FloatImage img = random(1, 10, 12, 2);
		FloatImage out = new GaussianBlur(0, 0).apply(img, 255, new Random(0));
		assertEquals(img, out);
		assertNotSame(img, out);
		assertEquals(0, new GaussianBlur(0, 0).margin());
	}

	@Test
	void bordersReflectWithoutRepeatingTheEdge() {
		assertEquals(1, GaussianBlur.reflect101(-1, 5));
		assertEquals(3, GaussianBlur.reflect101(5, 5));
		assertEquals(4, GaussianBlur.reflect101(-4, 5));
		assertEquals(0, GaussianBlur.reflect101(8, 5)); // reflected twice
		assertEquals(0, GaussianBlur.reflect101(-7, 1));
		// at x = 0 the taps read 3 2 1 [0] 1 2 3 (reflect-101), not 2 1 0 [0] 1 2 3 (edge repeat)
		FloatImage ramp = new FloatImage(1, 1, 6, new float[] { 0, 1, 2, 3, 4, 5 });
		FloatImage b = GaussianBlur.blur(ramp, 0.8);
		double[] k = GaussianBlur.kernel(0.8); // radius 3
		double expected = k[3] * 0 + (k[2] + k[4]) * 1 + (k[1] + k[5]) * 2 + (k[0] + k[6]) * 3;
		assertEquals(expected, b.get(0, 0, 0), 1e-5);
	}

	@Test
	void bigBlurOnATinyImageWorks() {
		FloatImage img = random(1, 3, 3, 3);
		FloatImage b = new GaussianBlur(10).apply(img, 255, new Random(0));
		for (float v : b.data()) assertTrue(Float.isFinite(v));
		assertEquals(mean(img), mean(b), 0.2 * mean(img)); // ~ flat at about the mean
		assertTrue(variance(b) < 0.05 * variance(img));
		FloatImage line = GaussianBlur.blur(new FloatImage(1, 1, 1, new float[] { 7 }), 5);
		assertEquals(7, line.get(0, 0, 0), 1e-5);
	}

	@Test
	void sigmaIsDrawnFromTheRangeAndMarginCoversTheKernel() {
		GaussianBlur blur = new GaussianBlur(0.5, 3);
		assertEquals(9, blur.margin());
		FloatImage img = random(1, 30, 30, 4);
		FloatImage a = blur.apply(img, 255, new Random(5)), b = blur.apply(img, 255, new Random(5));
		assertEquals(a, b);
		assertNotEquals(a, blur.apply(img, 255, new Random(6)));
	}

	@Test
	void marginMakesTheCentreExact() {
		FloatImage big = random(1, 60, 60, 7);
		GaussianBlur blur = new GaussianBlur(1.5);
		int m = blur.margin();
		FloatImage whole = blur.apply(big, 255, new Random(0)).crop(20, 20, 16, 16);
		FloatImage patch = blur.apply(big.crop(20 - m, 20 - m, 16 + 2 * m, 16 + 2 * m), 255, new Random(0)).crop(m, m, 16, 16);
		assertArrayEquals(whole.data(), patch.data(), 1e-4f);
	}

	@Test
	void inputIsNotModifiedAndBadArgsAreNamed() {
		FloatImage img = random(3, 9, 7, 8);
		FloatImage before = img.copy();
		new GaussianBlur(1, 2).apply(img, 255, new Random(0));
		assertEquals(before, img);
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new GaussianBlur(-1, 2)).getMessage().contains("blur_sigma"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new GaussianBlur(3, 2)).getMessage().contains("blur_sigma"));
	}
}
