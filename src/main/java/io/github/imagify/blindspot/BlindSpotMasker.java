package io.github.imagify.blindspot;

import java.util.Arrays;
import java.util.Random;

import io.github.imagify.data.PairPreparation;
import io.github.imagify.data.PatchSampler;
import io.github.imagify.image.FloatImage;

/**
 * Noise2Void's blind spots: masks a noisy patch as {@link BlindSpotMasking} says and scores only the masked pixels.
 * The network sees the masked input and is asked for the noisy value at each masked pixel; since the noise of a pixel
 * is independent of its neighbours', the best it can do is the clean value, which the neighbours do tell. The loss
 * weight of a masked pixel is (pixels in the patch) / (masked pixels in its channel), 0 elsewhere, so the loss DL4J
 * reports (a sum over the patch, divided by the pixels) is the mean squared error over the masked pixels, whatever the
 * fraction. Each channel is masked at its own places, as CAREamics does.
 */
public final class BlindSpotMasker implements PairPreparation {

	private final BlindSpotMasking masking;

	public BlindSpotMasker(BlindSpotMasking masking) {
		this.masking = masking;
	}

	/** The pair with its input masked and its target's loss weights; the pair's own images are not changed. */
	@Override
	public PatchSampler.Pair prepare(PatchSampler.Pair pair, Random rng) {
		FloatImage noisy = pair.input(), target = pair.target();
		if (!noisy.sameShape(target))
			throw new IllegalArgumentException("Noise2Void masks an input like its target, got " + noisy + " for " + target);
		FloatImage masked = noisy.copy(), weights = new FloatImage(target.channels(), target.height(), target.width());
		for (int c = 0; c < noisy.channels(); c++) maskChannel(noisy, masked, weights, c, rng);
		return new PatchSampler.Pair(masked, target, weights);
	}

	private void maskChannel(FloatImage noisy, FloatImage masked, FloatImage weights, int c, Random rng) {
		int h = noisy.height(), w = noisy.width(), step = masking.gridSpacing();
		int[] centres = new int[((h + step - 1) / step) * ((w + step - 1) / step)];
		int n = 0;
		for (int cellY = 0; cellY < h; cellY += step)
			for (int cellX = 0; cellX < w; cellX += step) {
				int y = cellY + rng.nextInt(step), x = cellX + rng.nextInt(step);
				// a cell the border cuts holds a masked pixel only as often as it is inside: every pixel is equally likely
				if (y < h && x < w) centres[n++] = y * w + x;
			}
		if (n == 0) throw new IllegalStateException("No pixel masked in a " + h + "x" + w + " patch with a grid of " + step);
		for (int i = 0; i < n; i++) {
			int y = centres[i] / w, x = centres[i] % w;
			masked.set(c, y, x, replacement(noisy, c, y, x, rng));
		}
		if (masking.structured()) blankLines(noisy, masked, c, centres, n, rng);
		float weight = (float) h * w / n;
		for (int i = 0; i < n; i++) weights.set(c, centres[i] / w, centres[i] % w, weight);
	}

	/** The value a masked pixel gets: a random neighbour, or with N2V2 their median. */
	private float replacement(FloatImage noisy, int c, int y, int x, Random rng) {
		return BlindSpotMasking.MEDIAN.equals(masking.replacement()) ? median(noisy, c, y, x) : randomNeighbour(noisy, c, y, x, rng);
	}

	/** A random pixel of the window other than the centre (and off the struct mask's line), inside the patch. */
	private float randomNeighbour(FloatImage noisy, int c, int y, int x, Random rng) {
		int r = masking.neighbourhood() / 2;
		while (true) {
			int dy = rng.nextInt(2 * r + 1) - r, dx = rng.nextInt(2 * r + 1) - r;
			int yy = y + dy, xx = x + dx;
			if (yy >= 0 && xx >= 0 && yy < noisy.height() && xx < noisy.width() && !masking.hides(dy, dx)) return noisy.get(c, yy, xx);
		}
	}

	/** N2V2's replacement: the median of the window inside the patch, without the centre (and the struct mask's line). */
	private float median(FloatImage noisy, int c, int y, int x) {
		int r = masking.neighbourhood() / 2;
		float[] values = new float[(2 * r + 1) * (2 * r + 1)];
		int n = 0;
		for (int dy = -r; dy <= r; dy++)
			for (int dx = -r; dx <= r; dx++) {
				int yy = y + dy, xx = x + dx;
				if (yy >= 0 && xx >= 0 && yy < noisy.height() && xx < noisy.width() && !masking.hides(dy, dx)) values[n++] = noisy.get(c, yy, xx);
			}
		Arrays.sort(values, 0, n);
		return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
	}

	/**
	 * structN2V: the line through each masked pixel, the pixel aside, gets values drawn uniformly from the channel's
	 * range in the patch, so no pixel whose noise is correlated with the masked one's shows its noise.
	 */
	private void blankLines(FloatImage noisy, FloatImage masked, int c, int[] centres, int n, Random rng) {
		float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
		int h = noisy.height(), w = noisy.width();
		for (int i = c * h * w; i < (c + 1) * h * w; i++) {
			lo = Math.min(lo, noisy.data()[i]);
			hi = Math.max(hi, noisy.data()[i]);
		}
		int half = masking.structSpan() / 2;
		boolean horizontal = BlindSpotMasking.HORIZONTAL.equals(masking.structMask());
		for (int i = 0; i < n; i++) {
			int y = centres[i] / w, x = centres[i] % w;
			for (int k = -half; k <= half; k++) {
				int yy = horizontal ? y : y + k, xx = horizontal ? x + k : x;
				if (k != 0 && yy >= 0 && xx >= 0 && yy < h && xx < w) masked.set(c, yy, xx, lo + rng.nextFloat() * (hi - lo));
			}
		}
	}
}
