package io.github.imagify.data;

import java.util.Random;

/**
 * What becomes of a training pair after it is drawn and before the network sees it, on the thread that draws the
 * patches (the producer thread while training): nothing for supervised training, or Noise2Void's blind-spot masking
 * ({@link io.github.imagify.blindspot.BlindSpotMasker}).
 * Draws only from {@code rng}, so batches stay reproducible from the seed.
 */
@FunctionalInterface
public interface PairPreparation {

	PatchSampler.Pair prepare(PatchSampler.Pair pair, Random rng);

	/** The pair as drawn. */
	PairPreparation NONE = (pair, rng) -> pair;
}
