package io.github.imagify.train;

import java.util.Random;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import io.github.imagify.neighbour.NeighbourSubsampler;

/**
 * One Neighbor2Neighbor step (Huang et al., CVPR 2021) on a batch of noisy patches: the network restores the first
 * sub-image of each patch and is scored against the second, plus the paper's consistency term, which asks the
 * difference of the two to equal the difference of the same sub-images of the network's own restoration of the whole
 * patch (taken as a constant, as the paper's code does under no_grad). The sum of the two squared errors,
 * |a - b|^2 + g |a - b - d|^2, is (1 + g) |a - t|^2 plus a constant, with the target t = b + g / (1 + g) d; so the
 * step is an ordinary fit against t, and the network, loss and exporter stay those of every other method. The weight
 * g grows from 0 to {@code consistencyWeight} over the epochs, as in the paper. Z-stacks' patches (NCDHW) are
 * sub-sampled in X and Y, every plane kept ({@link NeighbourSubsampler}).
 */
final class Neighbor2NeighborStep implements TrainingStep {

	private final double consistencyWeight;
	private final int epochs;
	private final long seed;
	private Random rng;
	private int rngEpoch = -1;

	Neighbor2NeighborStep(double consistencyWeight, int epochs, long seed) {
		this.consistencyWeight = consistencyWeight;
		this.epochs = epochs;
		this.seed = seed;
	}

	/** The consistency weight in an epoch (0-based): the paper's linear ramp, reaching the full weight in the last epoch. */
	double weightAt(int epoch) {
		return consistencyWeight * (epoch + 1) / epochs;
	}

	@Override
	public double fit(ComputationGraph graph, DataSet batch, int epoch) {
		if (epoch != rngEpoch) { // one stream per epoch, so a resumed run draws as an uninterrupted one
			rng = new Random(seed * 1_000_003L + epoch ^ 0x4E32_4E65L);
			rngEpoch = epoch;
		}
		INDArray noisy = batch.getFeatures();
		// NCHW, or NCDHW for Z-stacks, which are sub-sampled plane by plane in X and Y
		long[] shape = noisy.shape().clone();
		int rank = shape.length, n = (int) shape[0], c = (int) shape[1], h = (int) shape[rank - 2], w = (int) shape[rank - 1];
		int planes = rank == 5 ? (int) shape[2] : 1;
		NeighbourSubsampler.Draw draw = NeighbourSubsampler.Draw.random(n, planes, h, w, rng);
		float[] patches = noisy.dup('c').data().asFloat();
		float[] restored = graph.outputSingle(false, noisy).dup('c').data().asFloat();
		float[] input = draw.first(patches, c), target = draw.second(patches, c);
		float[] restoredFirst = draw.first(restored, c), restoredSecond = draw.second(restored, c);
		double g = weightAt(epoch);
		float share = (float) (g / (1 + g));
		for (int i = 0; i < target.length; i++) target[i] += share * (restoredFirst[i] - restoredSecond[i]);
		shape[rank - 2] = h / 2;
		shape[rank - 1] = w / 2;
		graph.fit(new DataSet(Nd4j.create(input, shape, 'c'), Nd4j.create(target, shape, 'c')));
		return graph.score() / ((double) planes * (h / 2) * (w / 2));
	}
}
