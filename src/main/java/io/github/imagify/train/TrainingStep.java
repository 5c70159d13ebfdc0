package io.github.imagify.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;

/** One optimiser step on a prepared batch; returns the batch's loss per pixel. */
@FunctionalInterface
interface TrainingStep {

	double fit(ComputationGraph graph, DataSet batch, int epoch);

	/**
	 * The batch as it is: DL4J's CNN loss sums the per-pixel MSE over the patch, so it is divided by the pixels (with
	 * Noise2Void's loss weights, that is the mean over the masked pixels); a 3D patch's voxels likewise.
	 */
	TrainingStep PLAIN = (graph, batch, epoch) -> {
		graph.fit(batch);
		long[] shape = batch.getLabels().shape();
		return graph.score() / ((double) batch.getLabels().length() / (shape[0] * shape[1]));
	};
}
