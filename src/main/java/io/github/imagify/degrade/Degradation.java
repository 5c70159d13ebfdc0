package io.github.imagify.degrade;

import java.util.Random;

import io.github.imagify.image.FloatImage;

/**
 * A synthetic degradation used to make (degraded, clean) training pairs from clean images.
 * Randomness comes only from the {@link Random} passed in, so a seeded run is reproducible.
 */
public interface Degradation {

	/**
	 * Returns a new degraded image; {@code clean} is never modified.
	 *
	 * @param dataRange the value span that corresponds to 0..255 on the 8-bit scale (255 for 8-bit data; for
	 *                  other data the clean image's intensity range), so that strengths given on the familiar
	 *                  8-bit scale mean the same for any bit depth
	 * @param rng       the only source of randomness
	 */
	FloatImage apply(FloatImage clean, double dataRange, Random rng);

	/**
	 * Pixels of context needed on each side for the result to be exact in the centre (e.g. the blur radius):
	 * callers crop a patch with this margin, degrade it, then crop the margin away.
	 */
	int margin();
}
