package io.github.imagify.classic;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.github.imagify.degrade.GaussianBlur;
import io.github.imagify.degrade.GaussianNoise;
import io.github.imagify.image.FloatImage;
import io.github.imagify.image.ImagePlusImages;
import io.github.imagify.image.Tiling;
import io.github.imagify.metrics.Metrics;
import io.github.imagify.testing.TestImages;

class ClassicFiltersTest {

	static FloatImage blobs(int w, int h) {
		return ImagePlusImages.plane(new ij.ImagePlus("b", TestImages.blobs(w, h, 5)), 1);
	}

	@Test
	void medianRemovesAnImpulseAndMatchesABruteForceMedian() {
		Random rng = new Random(1);
		FloatImage img = new FloatImage(2, 9, 11);
		for (int i = 0; i < img.data().length; i++) img.data()[i] = rng.nextInt(50);
		FloatImage out = MedianFilter.apply(img, 1);
		for (int c = 0; c < 2; c++)
			for (int y = 0; y < 9; y++)
				for (int x = 0; x < 11; x++) {
					float[] w = new float[9];
					int n = 0;
					for (int dy = -1; dy <= 1; dy++)
						for (int dx = -1; dx <= 1; dx++) w[n++] = img.get(c, Tiling.reflect(y + dy, 9), Tiling.reflect(x + dx, 11));
					Arrays.sort(w);
					assertEquals(w[4], out.get(c, y, x));
				}
		FloatImage flat = new FloatImage(1, 7, 7);
		Arrays.fill(flat.data(), 10);
		flat.set(0, 3, 3, 255);
		FloatImage cleaned = MedianFilter.apply(flat, 1);
		for (float v : cleaned.data()) assertEquals(10, v);
		assertThrows(IllegalArgumentException.class, () -> MedianFilter.apply(flat, 0));
	}

	@Test
	void nonLocalMeansLimitsAreIdentityAndWindowMean() {
		FloatImage noisy = new GaussianNoise(20).apply(blobs(24, 20), 255, new Random(2));
		FloatImage[] out = NonLocalMeans.denoise(noisy, 0, new double[] { 1e-3, 1e9 }, 1, 2);
		// tiny h: only the pixel's own patch has weight
		for (int i = 0; i < noisy.data().length; i++) assertEquals(noisy.data()[i], out[0].data()[i], 1e-3);
		// huge h: every candidate weighs the same, so the result is the mean of the mirrored 5x5 search window
		for (int y = 0; y < 20; y++)
			for (int x = 0; x < 24; x++) {
				double s = 0;
				for (int dy = -2; dy <= 2; dy++)
					for (int dx = -2; dx <= 2; dx++) s += noisy.get(0, Tiling.reflect(y + dy, 20), Tiling.reflect(x + dx, 24));
				assertEquals(s / 25, out[1].get(0, y, x), 1e-3);
			}
	}

	@Test
	void nonLocalMeansDenoisesGreyAndRgb() {
		FloatImage clean = blobs(64, 48);
		FloatImage noisy = new GaussianNoise(25).apply(clean, 255, new Random(3));
		FloatImage out = NonLocalMeans.denoise(noisy, 25, new double[] { 20 }, 3, 7)[0];
		assertTrue(Metrics.psnr(clean, out, 255) > Metrics.psnr(clean, noisy, 255) + 6);
		FloatImage rgb = new FloatImage(3, 48, 64);
		for (int c = 0; c < 3; c++) System.arraycopy(clean.data(), 0, rgb.data(), c * clean.planeSize(), clean.planeSize());
		FloatImage noisyRgb = new GaussianNoise(25).apply(rgb, 255, new Random(4));
		FloatImage outRgb = NonLocalMeans.denoise(noisyRgb, 25, new double[] { 20 }, 3, 7)[0];
		assertEquals(3, outRgb.channels());
		assertTrue(Metrics.psnr(rgb, outRgb, 255) > Metrics.psnr(rgb, noisyRgb, 255) + 6);
	}

	@Test
	void richardsonLucySharpensAKnownBlurAndStaysPositive() {
		FloatImage clean = blobs(64, 48);
		FloatImage blurred = GaussianBlur.blur(clean, 2);
		double[] best = { 0 };
		int[] reported = { 0 };
		FloatImage out = RichardsonLucy.deconvolve(blurred, 2, 30, it -> it % 10 == 0, (estimate, it) -> {
			reported[0]++;
			best[0] = Math.max(best[0], Metrics.psnr(clean, estimate, 255));
		});
		assertEquals(3, reported[0]);
		assertTrue(best[0] > Metrics.psnr(clean, blurred, 255) + 1, "RL gain " + best[0] + " vs " + Metrics.psnr(clean, blurred, 255));
		for (float v : out.data()) assertTrue(v > 0);
		assertThrows(IllegalArgumentException.class, () -> RichardsonLucy.deconvolve(blurred, 0, 1, it -> false, (e, it) -> {}));
	}
}
