package io.github.imagify.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

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
 * A Z-stack (a 3D model's volume) goes through them plane by plane, each setting scored over the whole stack as the
 * model is (PSNR over its voxels, SSIM the mean over its planes), so the best setting is one per stack.
 */
final class ClassicBaselines {

	static final double[] GAUSSIAN_SIGMAS = { 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0 };
	static final int[] MEDIAN_RADII = { 1, 2, 3 };
	/** NLM strength h as multiples of the noise sigma (skimage suggests about 0.8 with sigma given). */
	static final double[] NLM_H_FACTORS = { 0.5, 0.7, 0.9, 1.2 };
	static final int NLM_PATCH_RADIUS = 3, NLM_SEARCH_RADIUS = 10;
	static final int[] RL_ITERATIONS = { 5, 10, 20, 30, 50, 100 };

	private final DegradationSpec degradation;
	/** One plane, or a Z-stack's planes, each with its colour channels. */
	private final List<FloatImage> clean, degraded;
	private final FloatImage cleanStack;
	private final double dataRange;
	private final boolean clip;

	ClassicBaselines(DegradationSpec degradation, FloatImage clean, FloatImage degraded, double dataRange, boolean clip) {
		this(degradation, List.of(clean), List.of(degraded), dataRange, clip);
	}

	ClassicBaselines(DegradationSpec degradation, List<FloatImage> clean, List<FloatImage> degraded, double dataRange, boolean clip) {
		this.degradation = degradation;
		this.clean = clean;
		this.degraded = degraded;
		this.cleanStack = stack(clean);
		this.dataRange = dataRange;
		this.clip = clip;
	}

	void scoreInto(Map<String, Score> scores) {
		switch (degradation.type()) {
			case DegradationSpec.GAUSSIAN_NOISE, DegradationSpec.POISSON_NOISE -> {
				Score best = null;
				for (double s : GAUSSIAN_SIGMAS) best = better(best, eachPlane(p -> GaussianBlur.blur(p, s)));
				scores.put("gaussian", best);
				best = null;
				for (int r : MEDIAN_RADII) best = better(best, eachPlane(p -> MedianFilter.apply(p, r)));
				scores.put("median", best);
				double sigma = noiseSigma();
				double[] hs = new double[NLM_H_FACTORS.length];
				for (int i = 0; i < hs.length; i++) hs[i] = Math.max(NLM_H_FACTORS[i] * sigma, 1e-6 * dataRange);
				List<FloatImage[]> nlm = degraded.stream().map(p -> NonLocalMeans.denoise(p, sigma, hs, NLM_PATCH_RADIUS, NLM_SEARCH_RADIUS)).toList();
				best = null;
				for (int i = 0; i < hs.length; i++) {
					int h = i;
					best = better(best, nlm.stream().map(outs -> outs[h]).toList());
				}
				scores.put("nlm", best);
				if (degraded.stream().allMatch(Bm3d::accepts)) // an image smaller than BM3D's blocks goes without it
					scores.put("bm3d", better(null, eachPlane(p -> Bm3d.denoise(p, sigma, dataRange))));
			}
			case DegradationSpec.GAUSSIAN_BLUR -> {
				// every plane's estimates at the reported iterations, then each iteration count scored over the stack
				List<List<FloatImage>> estimates = new ArrayList<>();
				for (FloatImage plane : degraded) {
					List<FloatImage> reported = new ArrayList<>();
					RichardsonLucy.deconvolve(plane, degradation.blurSigmaMin(), RL_ITERATIONS[RL_ITERATIONS.length - 1],
							it -> java.util.Arrays.stream(RL_ITERATIONS).anyMatch(n -> n == it), (estimate, it) -> reported.add(estimate.copy()));
					estimates.add(reported);
				}
				Score best = null;
				for (int i = 0; i < RL_ITERATIONS.length; i++) {
					int k = i;
					best = better(best, estimates.stream().map(planes -> planes.get(k)).toList());
				}
				scores.put("richardson_lucy", best);
			}
			default -> { } // no classic baseline for downscaling
		}
	}

	private List<FloatImage> eachPlane(UnaryOperator<FloatImage> filter) {
		return degraded.stream().map(filter).toList();
	}

	/** The noise's standard deviation over every plane, measured against the truth (the degradation may be Poisson or given pairs). */
	private double noiseSigma() {
		double sum = 0, sum2 = 0;
		long n = 0;
		for (int p = 0; p < clean.size(); p++) {
			float[] a = clean.get(p).data(), b = degraded.get(p).data();
			for (int i = 0; i < a.length; i++) {
				double d = (double) b[i] - a[i];
				sum += d;
				sum2 += d * d;
			}
			n += a.length;
		}
		double mean = sum / n;
		return Math.sqrt(Math.max(sum2 / n - mean * mean, 0));
	}

	private Score better(Score best, List<FloatImage> result) {
		Score s = Evaluator.score(cleanStack, Evaluator.clipped(stack(result), clip), dataRange);
		return best == null || s.psnr() > best.psnr() ? s : best;
	}

	/** Planes as one image whose channels are every plane's, in order: PSNR over all, SSIM the mean over the planes. */
	private static FloatImage stack(List<FloatImage> planes) {
		if (planes.size() == 1) return planes.get(0);
		FloatImage first = planes.get(0);
		int size = first.channels() * first.height() * first.width();
		float[] data = new float[planes.size() * size];
		for (int p = 0; p < planes.size(); p++) System.arraycopy(planes.get(p).data(), 0, data, p * size, size);
		return new FloatImage(planes.size() * first.channels(), first.height(), first.width(), data);
	}
}
