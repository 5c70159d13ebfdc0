package io.github.imagify.evaluate;

import java.util.Map;

import io.github.imagify.classic.Bm3d;
import io.github.imagify.classic.MedianFilter;
import io.github.imagify.classic.NonLocalMeans;
import io.github.imagify.classic.RichardsonLucy;
import io.github.imagify.degrade.DegradationSpec;
import io.github.imagify.degrade.GaussianBlur;
import io.github.imagify.evaluate.Evaluator.Score;
import io.github.imagify.image.FloatImage;

/**
 * The classic filters a model has to beat, each tuned per image with the clean truth (the best of a small
 * grid of settings by PSNR), so they are an optimistic upper bound of what a user could get from them.
 * Noise: Gaussian filter, median filter, non-local means, and BM3D (CBM3D for RGB), which is not tuned: it
 * takes the noise sigma, measured against the truth, as its only setting. Blur: Richardson-Lucy with the true kernel.
 */
final class ClassicBaselines {

	static final double[] GAUSSIAN_SIGMAS = { 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0 };
	static final int[] MEDIAN_RADII = { 1, 2, 3 };
	/** NLM strength h as multiples of the noise sigma (skimage suggests about 0.8 with sigma given). */
	static final double[] NLM_H_FACTORS = { 0.5, 0.7, 0.9, 1.2 };
	static final int NLM_PATCH_RADIUS = 3, NLM_SEARCH_RADIUS = 10;
	static final int[] RL_ITERATIONS = { 5, 10, 20, 30, 50, 100 };

	private final DegradationSpec degradation;
	private final FloatImage clean, degraded;
	private final double dataRange;
	private final boolean clip;

	ClassicBaselines(DegradationSpec degradation, FloatImage clean, FloatImage degraded, double dataRange, boolean clip) {
		this.degradation = degradation;
		this.clean = clean;
		this.degraded = degraded;
		this.dataRange = dataRange;
		this.clip = clip;
	}

	void scoreInto(Map<String, Score> scores) {
		switch (degradation.type()) {
			case DegradationSpec.GAUSSIAN_NOISE, DegradationSpec.POISSON_NOISE -> {
				Score best = null;
				for (double s : GAUSSIAN_SIGMAS) best = better(best, GaussianBlur.blur(degraded, s));
				scores.put("gaussian", best);
				best = null;
				for (int r : MEDIAN_RADII) best = better(best, MedianFilter.apply(degraded, r));
				scores.put("median", best);
				double sigma = noiseSigma();
				double[] hs = new double[NLM_H_FACTORS.length];
				for (int i = 0; i < hs.length; i++) hs[i] = Math.max(NLM_H_FACTORS[i] * sigma, 1e-6 * dataRange);
				best = null;
				for (FloatImage out : NonLocalMeans.denoise(degraded, sigma, hs, NLM_PATCH_RADIUS, NLM_SEARCH_RADIUS)) best = better(best, out);
				scores.put("nlm", best);
				if (Bm3d.accepts(degraded)) // an image smaller than BM3D's blocks goes without it
					scores.put("bm3d", better(null, Bm3d.denoise(degraded, sigma, dataRange)));
			}
			case DegradationSpec.GAUSSIAN_BLUR -> {
				Score[] best = { null };
				RichardsonLucy.deconvolve(degraded, degradation.blurSigmaMin(), RL_ITERATIONS[RL_ITERATIONS.length - 1],
						it -> java.util.Arrays.stream(RL_ITERATIONS).anyMatch(n -> n == it), (estimate, it) -> best[0] = better(best[0], estimate));
				scores.put("richardson_lucy", best[0]);
			}
			default -> { } // no classic baseline for downscaling
		}
	}

	/** The noise's standard deviation, measured against the truth (the degradation may be Poisson or given pairs). */
	private double noiseSigma() {
		float[] a = clean.data(), b = degraded.data();
		double sum = 0, sum2 = 0;
		for (int i = 0; i < a.length; i++) {
			double d = (double) b[i] - a[i];
			sum += d;
			sum2 += d * d;
		}
		double mean = sum / a.length;
		return Math.sqrt(Math.max(sum2 / a.length - mean * mean, 0));
	}

	private Score better(Score best, FloatImage result) {
		Score s = Evaluator.score(clean, Evaluator.clipped(result, clip), dataRange);
		return best == null || s.psnr() > best.psnr() ? s : best;
	}
}
