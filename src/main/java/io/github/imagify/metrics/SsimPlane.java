package io.github.imagify.metrics;

import io.github.imagify.image.FloatImage;

/**
 * Mean SSIM of one channel. The five local moments (x, y, x², y², xy) are Gaussian-filtered separably; the
 * horizontal pass keeps only a ring of 2r+1 rows, so memory stays O(width) even for very large images.
 * The window is truncated at the image border and renormalised; in the valid region it never reaches the
 * border, so there this equals skimage's result whatever its padding mode.
 */
final class SsimPlane {

	private static final int MOMENTS = 5;

	private final float[] x, y;
	private final int h, w, base;
	private final double c1, c2;
	private final double[] kernel;
	private final int r;

	SsimPlane(FloatImage reference, FloatImage test, int channel, double c1, double c2) {
		this.x = reference.data();
		this.y = test.data();
		this.h = reference.height();
		this.w = reference.width();
		this.base = channel * h * w;
		this.c1 = c1;
		this.c2 = c2;
		this.r = Metrics.SSIM_RADIUS;
		this.kernel = new double[2 * r + 1];
		for (int i = -r; i <= r; i++) kernel[i + r] = Math.exp(-0.5 * i * i / (Metrics.SSIM_SIGMA * Metrics.SSIM_SIGMA));
	}

	double mean() {
		int window = 2 * r + 1;
		// valid region: cropped by r where the dimension allows it, else the whole dimension
		int y0 = h >= window ? r : 0, y1 = h >= window ? h - r : h;
		int x0 = w >= window ? r : 0, x1 = w >= window ? w - r : w;
		double[][] ring = new double[window][MOMENTS * w]; // horizontally filtered rows, row k in slot k % window
		for (int k = Math.max(0, y0 - r); k < Math.min(h, y0 + r); k++) filterRow(k, ring[k % window]);
		double[] m = new double[MOMENTS];
		double sum = 0;
		for (int row = y0; row < y1; row++) {
			if (row + r < h) filterRow(row + r, ring[(row + r) % window]);
			int lo = Math.max(0, row - r), hi = Math.min(h - 1, row + r);
			for (int col = x0; col < x1; col++) {
				java.util.Arrays.fill(m, 0);
				double wsum = 0;
				for (int k = lo; k <= hi; k++) {
					double kw = kernel[k - row + r];
					double[] ringRow = ring[k % window];
					for (int j = 0; j < MOMENTS; j++) m[j] += kw * ringRow[j * w + col];
					wsum += kw;
				}
				double mx = m[0] / wsum, my = m[1] / wsum;
				double vx = m[2] / wsum - mx * mx, vy = m[3] / wsum - my * my, cxy = m[4] / wsum - mx * my;
				sum += ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
			}
		}
		return sum / ((double) (y1 - y0) * (x1 - x0));
	}

	/** Horizontal Gaussian of the five moments of image row k, normalised by the in-image weight. */
	private void filterRow(int k, double[] out) {
		int off = base + k * w;
		for (int col = 0; col < w; col++) {
			double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, wsum = 0;
			for (int j = Math.max(0, col - r), end = Math.min(w - 1, col + r); j <= end; j++) {
				double kw = kernel[j - col + r], a = x[off + j], b = y[off + j];
				sx += kw * a;
				sy += kw * b;
				sxx += kw * a * a;
				syy += kw * b * b;
				sxy += kw * a * b;
				wsum += kw;
			}
			out[col] = sx / wsum;
			out[w + col] = sy / wsum;
			out[2 * w + col] = sxx / wsum;
			out[3 * w + col] = syy / wsum;
			out[4 * w + col] = sxy / wsum;
		}
	}
}
