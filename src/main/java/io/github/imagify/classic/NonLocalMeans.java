package io.github.imagify.classic;

import io.github.imagify.image.FloatImage;
import io.github.imagify.image.Tiling;

/**
 * Pixelwise non-local means (Buades, Coll and Morel 2005) as scikit-image's {@code denoise_nl_means} computes it
 * when {@code fast_mode=False} (its better-scoring mode): w = exp(-max(d^2 - 2 sigma^2, 0) / h^2), d^2 the squared
 * difference of two (2p+1)^2 patches averaged over channels with Gaussian patch weights (sigma p/2, normalised).
 * Each search offset is one pass over the image with a separable weighted sum. Several filter strengths h are
 * computed in the same pass, because choosing h is how NLM is tuned. Unlike skimage the search window is mirrored
 * at the border instead of shrunk.
 */
public final class NonLocalMeans {

	private NonLocalMeans() {}

	/** skimage's patch weights, one axis: exp(-i^2 / (2 A^2)) with A = (patch side - 1) / 4, normalised to sum 1. */
	static double[] patchWeights(int patchRadius) {
		double a = patchRadius / 2.0, sum = 0;
		double[] k = new double[2 * patchRadius + 1];
		for (int i = -patchRadius; i <= patchRadius; i++) sum += k[i + patchRadius] = a == 0 ? 1 : Math.exp(-i * i / (2 * a * a));
		for (int i = 0; i < k.length; i++) k[i] /= sum;
		return k;
	}

	/**
	 * @param sigma        noise standard deviation in the image's units
	 * @param hs           filter strengths in the image's units (one result per value)
	 * @param patchRadius  p: patches are (2p+1)^2 (3 gives skimage's default 7x7)
	 * @param searchRadius s: candidates within (2s+1)^2 (10 gives the classic 21x21)
	 */
	public static FloatImage[] denoise(FloatImage in, double sigma, double[] hs, int patchRadius, int searchRadius) {
		if (!(sigma >= 0)) throw new IllegalArgumentException("sigma must be >= 0, got " + sigma);
		for (double h : hs) if (!(h > 0)) throw new IllegalArgumentException("NLM strength h must be > 0, got " + h);
		int c = in.channels(), h = in.height(), w = in.width();
		int pad = patchRadius + searchRadius, ph = h + 2 * pad, pw = w + 2 * pad;
		float[] padded = new float[c * ph * pw];
		for (int ch = 0; ch < c; ch++)
			for (int y = 0; y < ph; y++)
				for (int x = 0; x < pw; x++)
					padded[(ch * ph + y) * pw + x] = in.get(ch, Tiling.reflect(y - pad, h), Tiling.reflect(x - pad, w));

		int n = hs.length, side = 2 * patchRadius + 1;
		double[] weights = patchWeights(patchRadius);
		double twoSigma2 = 2 * sigma * sigma;
		double[] invH2 = new double[n];
		for (int k = 0; k < n; k++) invH2[k] = 1 / (hs[k] * hs[k]);
		double[][] weightSum = new double[n][h * w];
		double[][] valueSum = new double[n][c * h * w];
		// squared differences of the padded image with its shifted self, only over the rows/columns patches need
		int dh = h + 2 * patchRadius, dw = w + 2 * patchRadius;
		double[] diff = new double[dh * dw];
		double[] rowSums = new double[h * dw];
		for (int oy = -searchRadius; oy <= searchRadius; oy++)
			for (int ox = -searchRadius; ox <= searchRadius; ox++) {
				for (int y = 0; y < dh; y++)
					for (int x = 0; x < dw; x++) {
						int py = y + searchRadius, px = x + searchRadius;
						double s = 0;
						for (int ch = 0; ch < c; ch++) {
							int base = ch * ph * pw;
							double d = padded[base + py * pw + px] - padded[base + (py + oy) * pw + px + ox];
							s += d * d;
						}
						diff[y * dw + x] = s;
					}
				// Gaussian-weighted patch sum, separable: down the patch rows, then along its columns
				for (int y = 0; y < h; y++)
					for (int x = 0; x < dw; x++) {
						double s = 0;
						for (int i = 0; i < side; i++) s += weights[i] * diff[(y + i) * dw + x];
						rowSums[y * dw + x] = s;
					}
				for (int y = 0; y < h; y++) {
					for (int x = 0; x < w; x++) {
						double s = 0;
						for (int j = 0; j < side; j++) s += weights[j] * rowSums[y * dw + x + j];
						double d2 = Math.max(s / c - twoSigma2, 0);
						int qy = y + pad + oy, qx = x + pad + ox;
						for (int k = 0; k < n; k++) {
							double wt = Math.exp(-d2 * invH2[k]);
							weightSum[k][y * w + x] += wt;
							for (int ch = 0; ch < c; ch++)
								valueSum[k][(ch * h + y) * w + x] += wt * padded[(ch * ph + qy) * pw + qx];
						}
					}
				}
			}
		FloatImage[] out = new FloatImage[n];
		for (int k = 0; k < n; k++) {
			out[k] = new FloatImage(c, h, w);
			float[] o = out[k].data();
			for (int ch = 0; ch < c; ch++)
				for (int i = 0; i < h * w; i++) o[ch * h * w + i] = (float) (valueSum[k][ch * h * w + i] / weightSum[k][i]);
		}
		return out;
	}
}
