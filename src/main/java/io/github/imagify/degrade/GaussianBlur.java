package io.github.imagify.degrade;

import java.util.Random;

import io.github.imagify.image.FloatImage;

/**
 * Separable Gaussian blur (out-of-focus / diffraction stand-in) with sigma in pixels drawn uniformly per call
 * from [sigmaMin, sigmaMax], so one model learns a range of blur strengths. The kernel has radius
 * ceil(3 sigma) (at least 1) and is normalised to sum 1, so the mean intensity is kept. Borders are mirrored
 * without repeating the edge pixel (reflect-101: -1 -> 1, n -> n-2), repeated as often as needed so that a
 * kernel wider than the image still works.
 */
public final class GaussianBlur implements Degradation {

	private final double sigmaMin;
	private final double sigmaMax;

	public GaussianBlur(double sigmaMin, double sigmaMax) {
		Args.checkRange("blur_sigma", sigmaMin, sigmaMax);
		this.sigmaMin = sigmaMin;
		this.sigmaMax = sigmaMax;
	}

	public GaussianBlur(double sigma) {
		this(sigma, sigma);
	}

	@Override
	public FloatImage apply(FloatImage clean, double dataRange, Random rng) {
		return blur(clean, Args.draw(sigmaMin, sigmaMax, rng));
	}

	@Override
	public int margin() {
		return (int) Math.ceil(3 * sigmaMax);
	}

	/** A blurred copy of {@code in} with the given sigma in pixels; sigma 0 gives a plain copy. */
	public static FloatImage blur(FloatImage in, double sigma) {
		if (!(sigma >= 0) || Double.isInfinite(sigma))
			throw new IllegalArgumentException("blur_sigma must be a finite number >= 0, got " + sigma);
		if (sigma == 0) return in.copy();
		double[] k = kernel(sigma);
		int r = k.length / 2, h = in.height(), w = in.width();
		int[] xs = reflectTable(w, r), ys = reflectTable(h, r);
		FloatImage out = new FloatImage(in.channels(), h, w);
		float[] src = in.data(), dst = out.data();
		double[] tmp = new double[h * w];
		for (int c = 0; c < in.channels(); c++) {
			int base = c * h * w;
			for (int y = 0; y < h; y++) { // horizontal pass
				int row = base + y * w;
				for (int x = 0; x < w; x++) {
					double s = 0;
					for (int i = 0; i < k.length; i++) s += k[i] * src[row + xs[x + i]];
					tmp[y * w + x] = s;
				}
			}
			for (int y = 0; y < h; y++) { // vertical pass
				for (int x = 0; x < w; x++) {
					double s = 0;
					for (int i = 0; i < k.length; i++) s += k[i] * tmp[ys[y + i] * w + x];
					dst[base + y * w + x] = (float) s;
				}
			}
		}
		return out;
	}

	/** The normalised 1-D Gaussian of radius max(1, ceil(3 sigma)), centre at index radius. */
	static double[] kernel(double sigma) {
		int r = Math.max(1, (int) Math.ceil(3 * sigma));
		double[] k = new double[2 * r + 1];
		double sum = 0;
		for (int i = -r; i <= r; i++) sum += k[i + r] = Math.exp(-0.5 * i * i / (sigma * sigma));
		for (int i = 0; i < k.length; i++) k[i] /= sum;
		return k;
	}

	/** table[j] = reflect101(j - r, n) for j in [0, n + 2r): the source index for each kernel tap. */
	private static int[] reflectTable(int n, int r) {
		int[] t = new int[n + 2 * r];
		for (int j = 0; j < t.length; j++) t[j] = reflect101(j - r, n);
		return t;
	}

	/** Mirror index without edge repeat, periodic with period 2(n-1) so any distance outside works. */
	static int reflect101(int i, int n) {
		if (n == 1) return 0;
		int period = 2 * (n - 1);
		i = Math.floorMod(i, period);
		return i < n ? i : period - i;
	}

	@Override
	public String toString() {
		return "gaussian_blur sigma " + Args.range(sigmaMin, sigmaMax) + " px";
	}
}
