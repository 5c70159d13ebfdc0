package io.github.imagify.image;

import java.util.Arrays;

/**
 * CARE-style percentile normalisation: the low and high percentiles of an image map to 0 and 1.
 * The same mapping, inverted, brings the network's output back to the input's intensity units.
 *
 * @param lowPercentile  e.g. 1
 * @param highPercentile e.g. 99.8
 */
public record Normalization(double lowPercentile, double highPercentile) {

	/** Percentile samples are capped so huge images need no full copy; 4M samples keep percentiles to ~1e-3. */
	static final int MAX_SAMPLES = 1 << 22;

	public static final Normalization DEFAULT = new Normalization(1, 99.8);

	public Normalization {
		if (!(lowPercentile >= 0 && lowPercentile < highPercentile && highPercentile <= 100))
			throw new IllegalArgumentException("Normalisation percentiles must satisfy 0 <= low < high <= 100, got "
					+ lowPercentile + ", " + highPercentile);
	}

	/** The intensity values at the two percentiles of one image, and the affine map they define. */
	public record Range(double low, double high) {
		public double scale() { return high - low; }

		public void normalize(FloatImage image) {
			float[] d = image.data();
			double inv = 1.0 / scale();
			for (int i = 0; i < d.length; i++) d[i] = (float) ((d[i] - low) * inv);
		}

		public void denormalize(FloatImage image) {
			float[] d = image.data();
			double s = scale();
			for (int i = 0; i < d.length; i++) d[i] = (float) (d[i] * s + low);
		}
	}

	/**
	 * Measures the percentiles over all channels of an image (NaNs ignored), on every k-th value in CHW order
	 * when it has more than {@link #MAX_SAMPLES}. A flat image gets a unit range.
	 */
	public Range measure(PlaneView image) {
		long size = (long) image.channels() * image.height() * image.width();
		int w = image.width();
		int stride = (int) Math.max(1, (size + MAX_SAMPLES - 1) / MAX_SAMPLES);
		float[] sample = new float[(int) ((size + stride - 1) / stride)];
		float[] row = new float[w];
		int n = 0;
		for (int c = 0; c < image.channels(); c++)
			for (int y = 0; y < image.height(); y++) {
				long rowStart = ((long) c * image.height() + y) * w;
				int first = (int) ((rowStart + stride - 1) / stride * stride - rowStart); // first sampled column
				if (first >= w) continue;
				image.read(c, y, first, w - first, row, 0);
				for (int x = 0; x < w - first; x += stride)
					if (Float.isFinite(row[x])) sample[n++] = row[x];
			}
		if (n == 0)
			throw new IllegalArgumentException("The image has no finite pixel values");
		sample = Arrays.copyOf(sample, n);
		Arrays.sort(sample);
		double low = percentile(sample, lowPercentile);
		double high = percentile(sample, highPercentile);
		if (!(high - low > 1e-6 * Math.max(1, Math.abs(low))))
			high = low + 1; // a flat image: keep values as they are, just shifted
		return new Range(low, high);
	}

	/** Linear interpolation between order statistics (numpy's default). */
	static double percentile(float[] sorted, double p) {
		double pos = p / 100.0 * (sorted.length - 1);
		int i = (int) Math.floor(pos);
		if (i >= sorted.length - 1) return sorted[sorted.length - 1];
		double f = pos - i;
		return sorted[i] * (1 - f) + sorted[i + 1] * f;
	}
}
