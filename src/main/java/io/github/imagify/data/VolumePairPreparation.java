package io.github.imagify.data;

import java.util.Random;

/**
 * What becomes of a 3D training pair after it is drawn, as {@link PairPreparation} for planes: nothing (supervised),
 * Noise2Void's blind-spot masking ({@link io.github.imagify.blindspot.BlindSpotMasker3D}) or Noise2Noise's random
 * direction. Draws only from {@code rng}, so batches stay reproducible from the seed.
 */
@FunctionalInterface
public interface VolumePairPreparation {

	VolumePatchSampler.Pair prepare(VolumePatchSampler.Pair pair, Random rng);

	/** The pair as drawn. */
	VolumePairPreparation NONE = (pair, rng) -> pair;

	/** Input and target swapped for half the patches (two noisy acquisitions: neither is the better target). */
	VolumePairPreparation RANDOM_DIRECTION = (pair, rng) -> rng.nextBoolean() ? new VolumePatchSampler.Pair(pair.target(), pair.input()) : pair;
}
