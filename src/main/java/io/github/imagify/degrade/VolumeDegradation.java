package io.github.imagify.degrade;

import java.util.Random;

import io.github.imagify.image.FloatVolume;

/**
 * A synthetic degradation of a Z-stack, the 3D counterpart of {@link Degradation}: randomness only from the
 * {@link Random} passed in, {@code clean} never modified, strengths on the 8-bit scale through {@code dataRange}.
 * Blurs need context in Z as well as in XY, so the margins are given per axis.
 */
public interface VolumeDegradation {

	FloatVolume apply(FloatVolume clean, double dataRange, Random rng);

	/** Pixels of context needed on each side in X and Y for the result to be exact in the centre. */
	int marginXY();

	/** Planes of context needed above and below. */
	int marginZ();
}
