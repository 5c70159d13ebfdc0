package io.github.imagify.data;

import java.util.Random;

/**
 * What becomes of a training pair after it is drawn and before the network sees it, on the thread that draws the
 * patches (the producer thread while training): nothing for supervised training, Noise2Void's blind-spot masking
 * ({@link io.github.imagify.blindspot.BlindSpotMasker}), or Noise2Noise's random direction ({@link #RANDOM_DIRECTION}).
 * Draws only from {@code rng}, so batches stay reproducible from the seed.
 */
@FunctionalInterface
public interface PairPreparation {

	PatchSampler.Pair prepare(PatchSampler.Pair pair, Random rng);

	/** The pair as drawn. */
	PairPreparation NONE = (pair, rng) -> pair;

	/**
	 * Input and target swapped for half the patches: with two noisy acquisitions of a scene neither is the better
	 * target, so the network learns both directions instead of one acquisition's noise as its input.
	 */
	PairPreparation RANDOM_DIRECTION = (pair, rng) -> rng.nextBoolean() ? new PatchSampler.Pair(pair.target(), pair.input()) : pair;
}
