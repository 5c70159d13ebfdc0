package io.github.imagify.degrade;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.github.imagify.image.FloatImage;

class NoiseTest {

	static FloatImage constant(int h, int w, float v) {
		float[] d = new float[h * w];
		Arrays.fill(d, v);
		return new FloatImage(1, h, w, d);
	}

	/** Mean and variance of (out - in). */
	static double[] stats(FloatImage in, FloatImage out) {
		double s = 0, ss = 0;
		int n = in.data().length;
		for (int i = 0; i < n; i++) {
			double d = out.data()[i] - in.data()[i];
			s += d;
			ss += d * d;
		}
		double mean = s / n;
		return new double[] { mean, ss / n - mean * mean };
	}

	@Test
	void gaussianNoiseHasTheRequestedStdAndZeroMean() {
		FloatImage flat = constant(300, 300, 100);
		double[] st = stats(flat, new GaussianNoise(25).apply(flat, 255, new Random(1)));
		assertEquals(0, st[0], 0.2); // 3 standard errors: 25/300*3 = 0.25
		assertEquals(25, Math.sqrt(st[1]), 25 * 0.02);
	}

	@Test
	void gaussianNoiseScalesWithTheDataRange() {
		FloatImage flat = constant(300, 300, 0.5f);
		double[] st = stats(flat, new GaussianNoise(25).apply(flat, 1, new Random(2)));
		assertEquals(25 / 255.0, Math.sqrt(st[1]), 25 / 255.0 * 0.02);
		FloatImage flat16 = constant(300, 300, 30000);
		double[] st16 = stats(flat16, new GaussianNoise(10).apply(flat16, 65535, new Random(3)));
		assertEquals(10 * 65535 / 255.0, Math.sqrt(st16[1]), 10 * 65535 / 255.0 * 0.02);
	}

	@Test
	void gaussianNoiseIsNotClipped() {
		FloatImage black = constant(50, 50, 0);
		FloatImage out = new GaussianNoise(30).apply(black, 255, new Random(4));
		assertTrue(stats(black, out)[0] < 2);
		float min = Float.MAX_VALUE;
		for (float v : out.data()) min = Math.min(min, v);
		assertTrue(min < -30);
	}

	@Test
	void sameSeedSameNoiseDifferentSeedDifferentNoise() {
		FloatImage img = GaussianBlurTest.random(1, 40, 40, 5);
		GaussianNoise noise = new GaussianNoise(0, 55);
		assertEquals(noise.apply(img, 255, new Random(9)), noise.apply(img, 255, new Random(9)));
		assertNotEquals(noise.apply(img, 255, new Random(9)), noise.apply(img, 255, new Random(10)));
		PoissonNoise poisson = new PoissonNoise(30);
		assertEquals(poisson.apply(img, 255, new Random(9)), poisson.apply(img, 255, new Random(9)));
		assertNotEquals(poisson.apply(img, 255, new Random(9)), poisson.apply(img, 255, new Random(10)));
	}

	@Test
	void sigmaRangeGivesVaryingStrengths() {
		FloatImage flat = constant(100, 100, 0);
		GaussianNoise noise = new GaussianNoise(0, 55);
		Random rng = new Random(11);
		double lo = Double.MAX_VALUE, hi = 0;
		for (int i = 0; i < 30; i++) {
			double sd = Math.sqrt(stats(flat, noise.apply(flat, 255, rng))[1]);
			lo = Math.min(lo, sd);
			hi = Math.max(hi, sd);
		}
		assertTrue(lo < 15 && hi > 40 && hi < 56.5, lo + " .. " + hi);
	}

	@Test
	void favouringLowSigmasPutsHalfTheDrawsInTheLowestQuarterOfTheRange() {
		FloatImage flat = constant(64, 64, 100);
		int draws = 400;
		int[] low = new int[2];
		double[] highest = new double[2];
		for (int mode = 0; mode < 2; mode++) {
			GaussianNoise noise = new GaussianNoise(0, 55, mode == 1);
			Random rng = new Random(12);
			for (int i = 0; i < draws; i++) {
				double sd = Math.sqrt(stats(flat, noise.apply(flat, 255, rng))[1]);
				if (sd < 55 / 4.0) low[mode]++;
				highest[mode] = Math.max(highest[mode], sd);
			}
		}
		// expected fractions 1/4 (uniform) and 1/2 (u^2); a binomial sd over 400 draws is 0.025
		assertEquals(0.25, low[0] / (double) draws, 0.08, "uniform");
		assertEquals(0.50, low[1] / (double) draws, 0.08, "favour_low");
		assertTrue(highest[1] > 45, "the whole range is still drawn: " + highest[1]);
		assertEquals(new GaussianNoise(25, 25, true).apply(flat, 255, new Random(3)), new GaussianNoise(25).apply(flat, 255, new Random(3)),
				"a fixed sigma is the same either way");
	}

	private static void checkPoisson(double lambda, long seed) {
		// with peak = lambda and value = dataRange, the count has mean and variance lambda
		double range = 255, peak = lambda;
		FloatImage flat = constant(400, 400, (float) range);
		FloatImage out = new PoissonNoise(peak).apply(flat, range, new Random(seed));
		double s = 0, ss = 0;
		int n = out.data().length;
		for (float v : out.data()) {
			double count = v / range * peak;
			assertEquals(Math.rint(count), count, 1e-3 * Math.max(1, count), "counts are integers");
			s += count;
			ss += count * count;
		}
		double mean = s / n, var = ss / n - mean * mean;
		assertEquals(lambda, mean, 0.01 * lambda, "mean at lambda " + lambda);
		assertEquals(lambda, var, 0.03 * lambda, "variance at lambda " + lambda);
	}

	@Test
	void poissonMeanAndVarianceMatchLambda() {
		checkPoisson(3, 1);
		checkPoisson(29.5, 2);
		checkPoisson(30, 3);
		checkPoisson(500, 4);
		checkPoisson(1e5, 5);
	}

	@Test
	void poissonSmallLambdaHasTheRightZeroFraction() {
		Random rng = new Random(6);
		int zeros = 0, n = 200_000;
		for (int i = 0; i < n; i++) if (PoissonNoise.sample(3, rng) == 0) zeros++;
		assertEquals(Math.exp(-3), zeros / (double) n, 0.003);
	}

	@Test
	void poissonLargeLambdaHasTheRightShape() {
		// P(K <= lambda) for lambda = 500 is about 0.5119 (median is lambda, plus the atom at lambda)
		Random rng = new Random(7);
		int below = 0, n = 200_000;
		for (int i = 0; i < n; i++) if (PoissonNoise.sample(500, rng) <= 500) below++;
		assertEquals(0.5119, below / (double) n, 0.005);
	}

	@Test
	void logGammaMatchesFactorials() {
		double logFact = 0;
		for (int k = 1; k <= 200; k++) {
			logFact += Math.log(k);
			assertEquals(logFact, PoissonNoise.logGamma(k + 1), 1e-9 * Math.max(1, logFact), "log " + k + "!");
		}
	}

	@Test
	void poissonClampsNegativesAndKeepsNaN() {
		FloatImage img = new FloatImage(1, 1, 3, new float[] { -5, Float.NaN, 0 });
		FloatImage out = new PoissonNoise(10).apply(img, 255, new Random(0));
		assertEquals(0, out.get(0, 0, 0));
		assertTrue(Float.isNaN(out.get(0, 0, 1)));
		assertEquals(0, out.get(0, 0, 2));
		assertEquals(-5, img.get(0, 0, 0)); // input untouched
	}

	@Test
	void inputIsNotModifiedAndBadArgsAreNamed() {
		FloatImage img = GaussianBlurTest.random(2, 8, 8, 12);
		FloatImage before = img.copy();
		new GaussianNoise(20).apply(img, 255, new Random(0));
		new PoissonNoise(5).apply(img, 255, new Random(0));
		assertEquals(before, img);
		assertEquals("noise_sigma must be >= 0, got -3",
				assertThrows(IllegalArgumentException.class, () -> new GaussianNoise(-3)).getMessage());
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new PoissonNoise(0)).getMessage().contains("poisson_peak"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new GaussianNoise(5).apply(img, 0, new Random(0)))
				.getMessage().contains("dataRange"));
		assertEquals(0, new GaussianNoise(5).margin());
		assertEquals(0, new PoissonNoise(5).margin());
	}
}
