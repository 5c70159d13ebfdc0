package io.github.imagify.degrade;

import java.util.Random;

import io.github.imagify.image.FloatImage;

/**
 * Low resolution, as from a coarser camera: each factor x factor block is averaged (a ragged last block
 * averages the pixels it has), then the small image is brought back to the original size by bilinear
 * interpolation between block centres (clamped at the borders). Keeping the size lets a super-resolution
 * model be the same image-to-image network as a denoiser.
 */
public final class Downscale implements Degradation {

	private final int factor;

	public Downscale(int factor) {
		if (factor < 2) throw new IllegalArgumentException("factor must be >= 2 for downscale, got " + factor);
		this.factor = factor;
	}

	@Override
	public FloatImage apply(FloatImage clean, double dataRange, Random rng) {
		int h = clean.height(), w = clean.width();
		int sh = ceilDiv(h, factor), sw = ceilDiv(w, factor);
		Axis ay = new Axis(h, factor), ax = new Axis(w, factor);
		FloatImage out = new FloatImage(clean.channels(), h, w);
		float[] src = clean.data(), dst = out.data();
		double[] small = new double[sh * sw];
		for (int c = 0; c < clean.channels(); c++) {
			int base = c * h * w;
			java.util.Arrays.fill(small, 0);
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) small[(y / factor) * sw + x / factor] += src[base + y * w + x];
			for (int by = 0; by < sh; by++)
				for (int bx = 0; bx < sw; bx++) small[by * sw + bx] /= (double) ay.size(by) * ax.size(bx);
			for (int y = 0; y < h; y++) {
				int y0 = ay.lo[y], y1 = Math.min(y0 + 1, sh - 1);
				double fy = ay.frac[y];
				for (int x = 0; x < w; x++) {
					int x0 = ax.lo[x], x1 = Math.min(x0 + 1, sw - 1);
					double fx = ax.frac[x];
					double top = small[y0 * sw + x0] * (1 - fx) + small[y0 * sw + x1] * fx;
					double bottom = small[y1 * sw + x0] * (1 - fx) + small[y1 * sw + x1] * fx;
					dst[base + y * w + x] = (float) (top * (1 - fy) + bottom * fy);
				}
			}
		}
		return out;
	}

	@Override
	public int margin() {
		return 2 * factor;
	}

	private static int ceilDiv(int a, int b) {
		return (a + b - 1) / b;
	}

	/**
	 * Interpolation weights along one axis: full-resolution pixel i lies between the centres of blocks
	 * lo[i] and lo[i]+1, at fraction frac[i]. Centres are the true centres of the (possibly ragged) blocks.
	 */
	private static final class Axis {
		final int n, factor;
		final int[] lo;
		final double[] frac;

		Axis(int n, int factor) {
			this.n = n;
			this.factor = factor;
			int blocks = ceilDiv(n, factor);
			double[] centre = new double[blocks];
			for (int b = 0; b < blocks; b++) centre[b] = (b * factor + Math.min((b + 1) * factor, n) - 1) / 2.0;
			lo = new int[n];
			frac = new double[n];
			int b = 0;
			for (int i = 0; i < n; i++) {
				while (b + 1 < blocks && centre[b + 1] <= i) b++;
				lo[i] = b;
				frac[i] = b + 1 < blocks ? Math.min(1, Math.max(0, (i - centre[b]) / (centre[b + 1] - centre[b]))) : 0;
			}
		}

		int size(int block) {
			return Math.min((block + 1) * factor, n) - block * factor;
		}
	}

	@Override
	public String toString() {
		return "downscale x" + factor;
	}
}
