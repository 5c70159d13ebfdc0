package io.github.imagify.metrics;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;

import org.junit.jupiter.api.Test;

import io.github.imagify.image.FloatImage;

class MetricsTest {

	/** A smooth pattern plus texture, so SSIM has structure to compare. */
	static FloatImage pattern(int c, int h, int w) {
		FloatImage img = new FloatImage(c, h, w);
		Random rng = new Random(42);
		for (int ch = 0; ch < c; ch++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++)
					img.set(ch, y, x, (float) (128 + 60 * Math.sin(x / 5.0 + ch) * Math.cos(y / 7.0) + 20 * rng.nextGaussian()));
		return img;
	}

	static FloatImage noisy(FloatImage img, double sigma, long seed) {
		FloatImage out = img.copy();
		Random rng = new Random(seed);
		for (int i = 0; i < out.data().length; i++) out.data()[i] += (float) (sigma * rng.nextGaussian());
		return out;
	}

	@Test
	void psnrOfIdenticalImagesIsInfinite() {
		FloatImage img = pattern(1, 20, 20);
		assertEquals(Double.POSITIVE_INFINITY, Metrics.psnr(img, img.copy(), 255));
		assertEquals(0, Metrics.mse(img, img.copy()));
	}

	@Test
	void psnrOfAConstantOffsetIsExact() {
		FloatImage img = new FloatImage(2, 8, 9);
		for (int i = 0; i < img.data().length; i++) img.data()[i] = i % 200;
		for (double d : new double[] { 1, 5, 17 }) {
			FloatImage shifted = img.copy();
			for (int i = 0; i < shifted.data().length; i++) shifted.data()[i] += (float) d;
			assertEquals(d * d, Metrics.mse(img, shifted), 1e-12);
			assertEquals(10 * Math.log10(255.0 * 255.0 / (d * d)), Metrics.psnr(img, shifted, 255), 1e-12);
			assertEquals(10 * Math.log10(1000.0 * 1000.0 / (d * d)), Metrics.psnr(shifted, img, 1000), 1e-12);
		}
	}

	@Test
	void shapeMismatchThrows() {
		FloatImage a = new FloatImage(1, 16, 16), b = new FloatImage(1, 16, 17), c = new FloatImage(3, 16, 16);
		assertThrows(IllegalArgumentException.class, () -> Metrics.psnr(a, b, 255));
		assertThrows(IllegalArgumentException.class, () -> Metrics.mse(a, c));
		assertThrows(IllegalArgumentException.class, () -> Metrics.ssim(a, c, 255));
		assertThrows(IllegalArgumentException.class, () -> Metrics.ssim(a, a, 0));
	}

	@Test
	void ssimOfIdenticalImagesIsOne() {
		FloatImage img = pattern(3, 40, 50);
		assertEquals(1, Metrics.ssim(img, img.copy(), 255), 1e-6);
		FloatImage tiny = pattern(1, 4, 6); // smaller than the window: truncated window, no crop
		assertEquals(1, Metrics.ssim(tiny, tiny.copy(), 255), 1e-6);
	}

	@Test
	void ssimDecreasesAsNoiseGrows() {
		FloatImage img = pattern(1, 64, 64);
		double previous = 1;
		for (double sigma : new double[] { 2, 5, 10, 20, 40, 80 }) {
			double s = Metrics.ssim(img, noisy(img, sigma, 7), 255);
			assertTrue(s < previous, "sigma " + sigma + ": " + s + " >= " + previous);
			previous = s;
		}
		assertTrue(previous < 0.3, "heavy noise still scores " + previous);
	}

	@Test
	void ssimIsSymmetric() {
		FloatImage img = pattern(2, 30, 33), other = noisy(img, 25, 3);
		assertEquals(Metrics.ssim(img, other, 255), Metrics.ssim(other, img, 255), 1e-12);
	}

	@Test
	void invertedContrastScoresNegative() {
		FloatImage img = pattern(1, 48, 48), inverted = img.copy();
		for (int i = 0; i < inverted.data().length; i++) inverted.data()[i] = 255 - inverted.data()[i];
		assertTrue(Metrics.ssim(img, inverted, 255) < 0, "" + Metrics.ssim(img, inverted, 255));
	}

	/** SSIM at one pixel with the full 11 x 11 Gaussian window, computed directly in 2-D. */
	static double ssimAt(FloatImage a, FloatImage b, int cy, int cx, double range) {
		double s = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
		for (int y = cy - 5; y <= cy + 5; y++)
			for (int x = cx - 5; x <= cx + 5; x++) {
				double w = Math.exp(-((y - cy) * (y - cy) + (x - cx) * (x - cx)) / (2 * 1.5 * 1.5));
				double p = a.get(0, y, x), q = b.get(0, y, x);
				s += w;
				sa += w * p;
				sb += w * q;
				saa += w * p * p;
				sbb += w * q * q;
				sab += w * p * q;
			}
		double ma = sa / s, mb = sb / s, va = saa / s - ma * ma, vb = sbb / s - mb * mb, cab = sab / s - ma * mb;
		double c1 = Math.pow(0.01 * range, 2), c2 = Math.pow(0.03 * range, 2);
		return (2 * ma * mb + c1) * (2 * cab + c2) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
	}

	@Test
	void ssimMatchesADirectComputationOverTheValidRegion() {
		// 14 x 13: the valid region (cropped by 5 px per side) is rows 5..8, columns 5..7
		FloatImage a = pattern(1, 14, 13), b = noisy(a, 30, 5);
		double sum = 0;
		for (int y = 5; y <= 8; y++)
			for (int x = 5; x <= 7; x++) sum += ssimAt(a, b, y, x, 255);
		assertEquals(sum / 12, Metrics.ssim(a, b, 255), 1e-9);
	}
}
