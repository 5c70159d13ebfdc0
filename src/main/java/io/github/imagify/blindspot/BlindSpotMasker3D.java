package io.github.imagify.blindspot;

import java.util.Arrays;
import java.util.Random;

import io.github.imagify.data.VolumePairPreparation;
import io.github.imagify.data.VolumePatchSampler;
import io.github.imagify.image.FloatVolume;

/**
 * Noise2Void's blind spots in 3D, as {@link BlindSpotMasker} in 2D: about {@code masked_fraction} of each channel's
 * voxels are masked, one per cell of a cubic grid of side round(cbrt(1 / fraction)) (8 at the default 0.2 %) at a
 * random place in it; a masked voxel's input becomes a random other voxel of its neighbourhood (or with N2V2 their
 * median), and only masked voxels are scored, each with loss weight (voxels in the patch) / (masked voxels in its
 * channel), so the reported loss is the mean squared error over the masked voxels.
 * <p>
 * The neighbourhood is {@code mask_neighbourhood} voxels on every side, in Z too (5x5x5 by default), as N2V's and
 * CAREamics' 3D configurations do: the replacement only has to be a plausible value whose noise is not the masked
 * voxel's, and a voxel a few planes away is still that on anisotropic stacks. The struct mask (structN2V) hides the
 * line in X ({@code horizontal}) or Y ({@code vertical}) through each masked voxel within its own plane, where a
 * camera's striped noise lies: the line is scrambled and never a replacement's source, as in 2D.
 */
public final class BlindSpotMasker3D implements VolumePairPreparation {

	private final BlindSpotMasking masking;

	public BlindSpotMasker3D(BlindSpotMasking masking) {
		this.masking = masking;
	}

	/** The side of the grid cell that holds one masked voxel: about cbrt(1 / maskedFraction). */
	public int gridSpacing() {
		return gridSpacing(masking);
	}

	/** The side of the cubic grid cell that holds one masked voxel with this masking: about cbrt(1 / maskedFraction). */
	public static int gridSpacing(BlindSpotMasking masking) {
		return (int) Math.max(1, Math.round(Math.cbrt(1 / masking.maskedFraction())));
	}

	/** The pair with its input masked and its target's loss weights; the pair's own volumes are not changed. */
	@Override
	public VolumePatchSampler.Pair prepare(VolumePatchSampler.Pair pair, Random rng) {
		FloatVolume noisy = pair.input(), target = pair.target();
		if (!noisy.sameShape(target))
			throw new IllegalArgumentException("Noise2Void masks an input like its target, got " + noisy + " for " + target);
		FloatVolume masked = noisy.copy(), weights = new FloatVolume(target.channels(), target.depth(), target.height(), target.width());
		for (int c = 0; c < noisy.channels(); c++) maskChannel(noisy, masked, weights, c, rng);
		return new VolumePatchSampler.Pair(masked, target, weights);
	}

	private void maskChannel(FloatVolume noisy, FloatVolume masked, FloatVolume weights, int c, Random rng) {
		int d = noisy.depth(), h = noisy.height(), w = noisy.width(), step = gridSpacing();
		int[] centres = new int[((d + step - 1) / step) * ((h + step - 1) / step) * ((w + step - 1) / step)];
		int n = 0;
		for (int cellZ = 0; cellZ < d; cellZ += step)
			for (int cellY = 0; cellY < h; cellY += step)
				for (int cellX = 0; cellX < w; cellX += step) {
					int z = cellZ + rng.nextInt(step), y = cellY + rng.nextInt(step), x = cellX + rng.nextInt(step);
					// a cell the border cuts holds a masked voxel only as often as it is inside: every voxel is equally likely
					if (z < d && y < h && x < w) centres[n++] = (z * h + y) * w + x;
				}
		if (n == 0) throw new IllegalStateException("No voxel masked in a " + d + "x" + h + "x" + w + " patch with a grid of " + step);
		for (int i = 0; i < n; i++) {
			int z = centres[i] / (h * w), y = centres[i] / w % h, x = centres[i] % w;
			masked.set(c, z, y, x, BlindSpotMasking.MEDIAN.equals(masking.replacement()) ? median(noisy, c, z, y, x) : randomNeighbour(noisy, c, z, y, x, rng));
		}
		if (masking.structured()) blankLines(noisy, masked, c, centres, n, rng);
		float weight = (float) d * h * w / n;
		for (int i = 0; i < n; i++) weights.data()[c * d * h * w + centres[i]] = weight;
	}

	/** A random voxel of the neighbourhood other than the centre (and off the struct mask's line), inside the patch. */
	private float randomNeighbour(FloatVolume noisy, int c, int z, int y, int x, Random rng) {
		int r = masking.neighbourhood() / 2;
		while (true) {
			int dz = rng.nextInt(2 * r + 1) - r, dy = rng.nextInt(2 * r + 1) - r, dx = rng.nextInt(2 * r + 1) - r;
			if (!(dz == 0 && masking.hides(dy, dx)) && inside(noisy, z + dz, y + dy, x + dx)) return noisy.get(c, z + dz, y + dy, x + dx);
		}
	}

	/** N2V2's replacement: the median of the neighbourhood inside the patch, without the centre (and the struct mask's line). */
	private float median(FloatVolume noisy, int c, int z, int y, int x) {
		int r = masking.neighbourhood() / 2, side = 2 * r + 1;
		float[] values = new float[side * side * side];
		int n = 0;
		for (int dz = -r; dz <= r; dz++)
			for (int dy = -r; dy <= r; dy++)
				for (int dx = -r; dx <= r; dx++)
					if (!(dz == 0 && masking.hides(dy, dx)) && inside(noisy, z + dz, y + dy, x + dx)) values[n++] = noisy.get(c, z + dz, y + dy, x + dx);
		Arrays.sort(values, 0, n);
		return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
	}

	/** structN2V: the line through each masked voxel in its plane, the voxel aside, gets values drawn uniformly from the channel's range in the patch. */
	private void blankLines(FloatVolume noisy, FloatVolume masked, int c, int[] centres, int n, Random rng) {
		int d = noisy.depth(), h = noisy.height(), w = noisy.width();
		float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
		for (int i = c * d * h * w; i < (c + 1) * d * h * w; i++) {
			lo = Math.min(lo, noisy.data()[i]);
			hi = Math.max(hi, noisy.data()[i]);
		}
		int half = masking.structSpan() / 2;
		boolean horizontal = BlindSpotMasking.HORIZONTAL.equals(masking.structMask());
		for (int i = 0; i < n; i++) {
			int z = centres[i] / (h * w), y = centres[i] / w % h, x = centres[i] % w;
			for (int k = -half; k <= half; k++) {
				int yy = horizontal ? y : y + k, xx = horizontal ? x + k : x;
				if (k != 0 && yy >= 0 && xx >= 0 && yy < h && xx < w) masked.set(c, z, yy, xx, lo + rng.nextFloat() * (hi - lo));
			}
		}
	}

	private static boolean inside(FloatVolume v, int z, int y, int x) {
		return z >= 0 && y >= 0 && x >= 0 && z < v.depth() && y < v.height() && x < v.width();
	}
}
