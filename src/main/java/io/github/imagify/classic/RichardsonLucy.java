package io.github.imagify.classic;

import java.util.function.IntPredicate;
import java.util.function.ObjIntConsumer;

import io.github.imagify.degrade.GaussianBlur;
import io.github.imagify.image.FloatImage;

/**
 * Richardson-Lucy deconvolution with a known Gaussian point-spread function, the classic deblurring baseline.
 * The PSF is symmetric, so its adjoint is itself. Values are kept positive (RL assumes Poisson counts), which
 * is why the input is clamped to a small positive floor first.
 */
public final class RichardsonLucy {

	private RichardsonLucy() {}

	/**
	 * Runs up to {@code iterations} iterations, starting from the blurred image; {@code each} sees the estimate
	 * after every iteration whose number {@code report} accepts (the caller picks the iteration count that way).
	 */
	public static FloatImage deconvolve(FloatImage blurred, double psfSigma, int iterations, IntPredicate report,
			ObjIntConsumer<FloatImage> each) {
		if (!(psfSigma > 0)) throw new IllegalArgumentException("Richardson-Lucy needs a PSF sigma > 0, got " + psfSigma);
		float max = 0;
		for (float v : blurred.data()) max = Math.max(max, v);
		float floor = Math.max(max, 1e-6f) * 1e-6f;
		FloatImage observed = blurred.copy();
		float[] d = observed.data();
		for (int i = 0; i < d.length; i++) d[i] = Math.max(d[i], floor);
		FloatImage estimate = observed.copy();
		for (int it = 1; it <= iterations; it++) {
			FloatImage predicted = GaussianBlur.blur(estimate, psfSigma);
			float[] ratio = predicted.data();
			for (int i = 0; i < ratio.length; i++) ratio[i] = d[i] / Math.max(ratio[i], floor);
			FloatImage correction = GaussianBlur.blur(predicted, psfSigma);
			float[] e = estimate.data(), k = correction.data();
			for (int i = 0; i < e.length; i++) e[i] *= k[i];
			if (report.test(it)) each.accept(estimate, it);
		}
		return estimate;
	}
}
