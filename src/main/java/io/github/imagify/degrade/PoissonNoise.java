package io.github.imagify.degrade;

import java.util.Random;

import io.github.imagify.image.FloatImage;

/**
 * Photon shot noise, the dominant noise of low-light microscopy: a value x becomes a photon count drawn from
 * Poisson(lambda) with lambda = max(x, 0) / dataRange * peak, scaled back to the data units. {@code peak} is
 * the expected photon count at the top of the range; smaller peaks are noisier. Counts are sampled exactly:
 * by multiplying uniforms (Knuth) for lambda below 30 and by Hörmann's transformed rejection with squeeze
 * (PTRS, 1993; the method numpy uses) above. NaN pixels stay NaN.
 */
public final class PoissonNoise implements Degradation {

	/** Below this, Knuth's method is exact and cheap (about lambda uniforms per sample, exp(-30) ~ 1e-13 is safe). */
	static final double SMALL_LAMBDA = 30;

	private final double peak;

	public PoissonNoise(double peak) {
		if (!(peak > 0) || Double.isInfinite(peak))
			throw new IllegalArgumentException("poisson_peak must be a finite number > 0, got " + Args.num(peak));
		this.peak = peak;
	}

	@Override
	public FloatImage apply(FloatImage clean, double dataRange, Random rng) {
		Args.checkDataRange(dataRange);
		FloatImage out = clean.copy();
		float[] d = out.data();
		double toCounts = peak / dataRange, toData = dataRange / peak;
		for (int i = 0; i < d.length; i++) {
			if (Float.isNaN(d[i])) continue;
			d[i] = (float) (sample(Math.max(d[i], 0) * toCounts, rng) * toData);
		}
		return out;
	}

	@Override
	public int margin() {
		return 0;
	}

	/** One Poisson(lambda) variate. */
	static double sample(double lambda, Random rng) {
		if (lambda <= 0) return 0;
		return lambda < SMALL_LAMBDA ? knuth(lambda, rng) : ptrs(lambda, rng);
	}

	private static double knuth(double lambda, Random rng) {
		double limit = Math.exp(-lambda), p = rng.nextDouble();
		int k = 0;
		while (p > limit) {
			p *= rng.nextDouble();
			k++;
		}
		return k;
	}

	/** W. Hörmann, "The transformed rejection method for generating Poisson random variables", 1993. */
	private static double ptrs(double lambda, Random rng) {
		double slam = Math.sqrt(lambda), loglam = Math.log(lambda);
		double b = 0.931 + 2.53 * slam;
		double a = -0.059 + 0.02483 * b;
		double invalpha = 1.1239 + 1.1328 / (b - 3.4);
		double vr = 0.9277 - 3.6224 / (b - 2);
		while (true) {
			double u = rng.nextDouble() - 0.5, v = rng.nextDouble();
			double us = 0.5 - Math.abs(u);
			double k = Math.floor((2 * a / us + b) * u + lambda + 0.43);
			if (us >= 0.07 && v <= vr) return k;
			if (k < 0 || (us < 0.013 && v > us)) continue;
			if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logGamma(k + 1))
				return k;
		}
	}

	private static final double[] STIRLING = { 8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04,
			-5.952380952380952e-04, 8.417508417508418e-04, -1.917526917526918e-03, 6.410256410256410e-03,
			-2.955065359477124e-02, 1.796443723688307e-01, -1.39243221690590e+00 };

	/** log Gamma(x) for x >= 1 by the Stirling series, shifted up to x >= 7 for accuracy (as numpy's loggam). */
	static double logGamma(double x) {
		if (x == 1 || x == 2) return 0;
		int n = x <= 7 ? (int) (7 - x) : 0;
		double x0 = x + n, x2 = 1 / (x0 * x0), series = STIRLING[9];
		for (int k = 8; k >= 0; k--) series = series * x2 + STIRLING[k];
		double gl = series / x0 + 0.5 * Math.log(2 * Math.PI) + (x0 - 0.5) * Math.log(x0) - x0;
		for (int k = 1; k <= n; k++) gl -= Math.log(--x0);
		return gl;
	}

	@Override
	public String toString() {
		return "poisson_noise peak " + Args.num(peak);
	}
}
