package io.github.imagify.metrics;

import io.github.imagify.image.FloatImage;

/**
 * Full-reference image quality: PSNR and SSIM, as reported in restoration papers, so that a model's gain can
 * be stated in the usual terms. SSIM follows Wang et al. (2004) with the conventions of scikit-image's
 * {@code structural_similarity(..., gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
 * data_range=L)}, so numbers are comparable with Python results. Sums are accumulated in double.
 */
public final class Metrics {

	static final double SSIM_SIGMA = 1.5;
	static final int SSIM_RADIUS = 5; // 11 x 11 window, skimage's truncate=3.5 at sigma 1.5
	static final double K1 = 0.01, K2 = 0.03;

	private Metrics() {}

	/** Mean squared error over all pixels and channels. */
	public static double mse(FloatImage a, FloatImage b) {
		checkShapes(a, b);
		float[] x = a.data(), y = b.data();
		double sum = 0;
		for (int i = 0; i < x.length; i++) {
			double d = (double) x[i] - y[i];
			sum += d * d;
		}
		return sum / x.length;
	}

	/**
	 * PSNR in dB, 10 log10(L^2 / MSE) with L = dataRange (255 for 8-bit); +Infinity for identical images.
	 *
	 * @throws IllegalArgumentException on a shape mismatch or a dataRange that is not > 0
	 */
	public static double psnr(FloatImage reference, FloatImage test, double dataRange) {
		checkRange(dataRange);
		double mse = mse(reference, test);
		return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(dataRange * dataRange / mse);
	}

	/**
	 * Mean SSIM, averaged over channels. Local statistics use a Gaussian window (sigma 1.5, radius 5) and
	 * population (not sample) covariance; the mean is taken over the valid region, i.e. the image cropped by
	 * the window radius (5 px) on each side, as skimage does. Deviation from skimage (which refuses such
	 * images): along a dimension shorter than 11 px nothing is cropped and the window is truncated at the
	 * image border and renormalised, so small images still get a score.
	 *
	 * @throws IllegalArgumentException on a shape mismatch or a dataRange that is not > 0
	 */
	public static double ssim(FloatImage reference, FloatImage test, double dataRange) {
		checkShapes(reference, test);
		checkRange(dataRange);
		double c1 = (K1 * dataRange) * (K1 * dataRange), c2 = (K2 * dataRange) * (K2 * dataRange);
		double sum = 0;
		for (int c = 0; c < reference.channels(); c++) sum += new SsimPlane(reference, test, c, c1, c2).mean();
		return sum / reference.channels();
	}

	private static void checkShapes(FloatImage a, FloatImage b) {
		if (!a.sameShape(b))
			throw new IllegalArgumentException("Images differ in shape: " + a.channels() + "x" + a.height() + "x" + a.width()
					+ " vs " + b.channels() + "x" + b.height() + "x" + b.width() + " (channels x height x width)");
	}

	private static void checkRange(double dataRange) {
		if (!(dataRange > 0) || Double.isInfinite(dataRange))
			throw new IllegalArgumentException("dataRange must be a finite number > 0, got " + dataRange);
	}
}
