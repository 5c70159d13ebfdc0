package io.github.imagify.train;

import java.util.List;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * What the epoch loop trains on, planes (2D) and Z-stacks (3D) alike: the training images' names, the fixed validation
 * batches (prepared once, so their loss compares across epochs) and those against the clean reference, and each epoch's
 * batches, drawn from a seed.
 *
 * @param names           the training planes or volumes, as the model file's record lists them
 * @param unit            "plane(s)" or "volume(s)", for the log
 * @param patchShape      the patch as the log says it ("64x64", "16x64x64")
 * @param poolZ           for Z-stacks, whether the network pools in Z (the key, or the images' calibration); null for planes
 */
record TrainingData(List<String> names, String unit, int channels, int trainingCells, int validationPatches, String patchShape,
		List<DataSet> validation, List<DataSet> reference, EpochBatches batches, Boolean poolZ) {

	/** One epoch's batches: {@code steps} of them, from {@code seed}. */
	@FunctionalInterface
	interface EpochBatches {
		DataSetIterator epoch(long seed);
	}

	boolean volumes() {
		return poolZ != null;
	}
}
