package io.github.imagify.neighbour;

import java.util.Random;

import io.github.imagify.data.PairPreparation;
import io.github.imagify.data.PatchSampler;
import io.github.imagify.data.VolumePairPreparation;
import io.github.imagify.data.VolumePatchSampler;
import io.github.imagify.image.FloatImage;
import io.github.imagify.image.FloatVolume;

/**
 * Neighbor2Neighbor's random neighbour sub-sampler (Huang et al., CVPR 2021): the image is cut into 2x2 cells, and in
 * each cell two pixels that touch (side by side or one above the other, in a random order) are drawn; the first of each
 * cell makes one half-size sub-image, the second the other. Their noise is independent and their content nearly the
 * same, so one is a noisy target for the other, as in Noise2Noise, from a single noisy image. A cell's choice is shared
 * by all channels, as in the paper's code.
 * <p>
 * A volume is sub-sampled in X and Y only, each plane with its own draw: Z-stacks are usually coarser in Z, where
 * neighbouring planes differ too much in content to be each other's target, so the sub-volumes keep every plane.
 */
public final class NeighbourSubsampler {

	/** The ordered pairs of a cell's pixels that touch; a cell's pixels are 0 top left, 1 top right, 2 bottom left, 3 bottom right. */
	private static final int[][] TOUCHING = { { 0, 1 }, { 0, 2 }, { 1, 3 }, { 2, 3 }, { 1, 0 }, { 2, 0 }, { 3, 1 }, { 3, 2 } };

	/**
	 * Validation's pairs: the noisy patch's two sub-images, the second as the target (training instead sub-samples on the
	 * training thread, after the network has seen the whole patch: see {@code train.Neighbor2NeighborStep}).
	 */
	public static final PairPreparation SUB_IMAGE_PAIRS = (pair, rng) -> {
		FloatImage noisy = pair.input();
		Draw draw = Draw.random(1, noisy.height(), noisy.width(), rng);
		return new PatchSampler.Pair(draw.first(noisy), draw.second(noisy));
	};

	/** {@link #SUB_IMAGE_PAIRS} for 3D patches: the noisy patch's two sub-volumes, the second as the target. */
	public static final VolumePairPreparation SUB_VOLUME_PAIRS = (pair, rng) -> {
		FloatVolume noisy = pair.input();
		Draw draw = Draw.random(1, noisy.depth(), noisy.height(), noisy.width(), rng);
		return new VolumePatchSampler.Pair(draw.first(noisy), draw.second(noisy));
	};

	private NeighbourSubsampler() {}

	/**
	 * One draw for a batch of {@code examples} images, or volumes of {@code planes} planes, of {@code height x width}
	 * (both even): for each example, plane and cell, the index (0..3) of the pixel the first and the second sub-image take.
	 */
	public record Draw(int examples, int planes, int height, int width, byte[] first, byte[] second) {

		/** A draw for a batch of images (one plane each). */
		public static Draw random(int examples, int height, int width, Random rng) {
			return random(examples, 1, height, width, rng);
		}

		/** A draw for a batch of volumes: every plane's cells drawn on their own, as the noise of each voxel is. */
		public static Draw random(int examples, int planes, int height, int width, Random rng) {
			if (height % 2 != 0 || width % 2 != 0 || height < 2 || width < 2)
				throw new IllegalArgumentException("Neighbour sub-sampling needs an even height and width, got " + height + "x" + width);
			if (planes < 1) throw new IllegalArgumentException("Neighbour sub-sampling needs at least one plane, got " + planes);
			int cells = examples * planes * (height / 2) * (width / 2);
			byte[] first = new byte[cells], second = new byte[cells];
			for (int i = 0; i < cells; i++) {
				int[] pair = TOUCHING[rng.nextInt(TOUCHING.length)];
				first[i] = (byte) pair[0];
				second[i] = (byte) pair[1];
			}
			return new Draw(examples, planes, height, width, first, second);
		}

		/**
		 * The first sub-images of a batch in NCHW order ({@code examples x channels x height x width}), NCHW at half the
		 * size; of a batch of volumes, NCDHW, at half the height and width.
		 */
		public float[] first(float[] batch, int channels) {
			return take(batch, channels, first);
		}

		/** The second sub-images, as {@link #first(float[], int)}. */
		public float[] second(float[] batch, int channels) {
			return take(batch, channels, second);
		}

		/** A single image's first sub-image (a draw for one example). */
		public FloatImage first(FloatImage image) {
			return new FloatImage(image.channels(), height / 2, width / 2, first(image.data(), image.channels()));
		}

		/** A single image's second sub-image. */
		public FloatImage second(FloatImage image) {
			return new FloatImage(image.channels(), height / 2, width / 2, second(image.data(), image.channels()));
		}

		/** A single volume's first sub-volume (a draw for one example): every plane, at half the height and width. */
		public FloatVolume first(FloatVolume volume) {
			return new FloatVolume(volume.channels(), planes, height / 2, width / 2, first(volume.data(), volume.channels()));
		}

		/** A single volume's second sub-volume. */
		public FloatVolume second(FloatVolume volume) {
			return new FloatVolume(volume.channels(), planes, height / 2, width / 2, second(volume.data(), volume.channels()));
		}

		private float[] take(float[] batch, int channels, byte[] choice) {
			int h2 = height / 2, w2 = width / 2;
			if (batch.length != examples * channels * planes * height * width)
				throw new IllegalArgumentException("A draw for " + examples + " x " + (planes == 1 ? "" : planes + "x") + height + "x" + width + " got "
						+ batch.length + " values for " + channels + " channel(s)");
			float[] out = new float[examples * channels * planes * h2 * w2];
			int o = 0;
			for (int n = 0; n < examples; n++)
				for (int c = 0; c < channels; c++)
					for (int z = 0; z < planes; z++) {
						int plane = ((n * channels + c) * planes + z) * height * width;
						int cells = (n * planes + z) * h2; // the plane's first row of cells: every channel takes the same pixels
						for (int y = 0; y < h2; y++)
							for (int x = 0; x < w2; x++) {
								int k = choice[(cells + y) * w2 + x];
								out[o++] = batch[plane + (2 * y + (k >> 1)) * width + 2 * x + (k & 1)];
							}
					}
			return out;
		}
	}
}
