package io.github.imagify.data;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One epoch of random 3D training batches for DL4J, as {@link PatchDataSetIterator} for planes: {@code steps} batches
 * of {@code batchSize} patch pairs, NCDHW ([batch, channels, depth, height, width]), each pair prepared
 * ({@link VolumePairPreparation}) as it is drawn. The random stream continues across epochs.
 */
public final class VolumePatchDataSetIterator implements DataSetIterator {

	private final VolumePatchSampler sampler;
	private final int batchSize;
	private final int steps;
	private final Random rng;
	private final VolumePairPreparation preparation;
	private int done;
	private DataSetPreProcessor preProcessor;

	public VolumePatchDataSetIterator(VolumePatchSampler sampler, int batchSize, int steps, long seed, VolumePairPreparation preparation) {
		if (batchSize < 1) throw new IllegalArgumentException("batch_size must be at least 1, got " + batchSize);
		if (steps < 1) throw new IllegalArgumentException("steps_per_epoch must be at least 1, got " + steps);
		this.sampler = sampler;
		this.batchSize = batchSize;
		this.steps = steps;
		this.rng = new Random(seed);
		this.preparation = preparation;
	}

	/**
	 * Stacks pairs into one DataSet (features = degraded, labels = clean), 5D NCDHW; pairs with loss weights (all or
	 * none) give them as the labels mask, of the labels' shape.
	 */
	public static DataSet toDataSet(List<VolumePatchSampler.Pair> pairs) {
		VolumePatchSampler.Pair first = pairs.get(0);
		int ci = first.input().channels(), co = first.target().channels();
		int d = first.input().depth(), h = first.input().height(), w = first.input().width();
		int perIn = ci * d * h * w, perOut = co * d * h * w;
		boolean weighted = first.lossWeights() != null;
		float[] x = new float[pairs.size() * perIn], y = new float[pairs.size() * perOut], m = weighted ? new float[y.length] : null;
		for (int i = 0; i < pairs.size(); i++) {
			VolumePatchSampler.Pair pair = pairs.get(i);
			if (pair.input().data().length != perIn || pair.target().data().length != perOut)
				throw new IllegalArgumentException("Patches of different shapes in one batch: " + pair.input() + " beside " + first.input());
			System.arraycopy(pair.input().data(), 0, x, i * perIn, perIn);
			System.arraycopy(pair.target().data(), 0, y, i * perOut, perOut);
			if (weighted != (pair.lossWeights() != null)) throw new IllegalArgumentException("Pairs with and without loss weights in one batch");
			if (weighted) System.arraycopy(pair.lossWeights().data(), 0, m, i * perOut, perOut);
		}
		long[] outShape = { pairs.size(), co, d, h, w };
		INDArray features = Nd4j.create(x, new long[] { pairs.size(), ci, d, h, w }, 'c');
		INDArray labels = Nd4j.create(y, outShape, 'c');
		return new DataSet(features, labels, null, weighted ? Nd4j.create(m, outShape, 'c') : null);
	}

	@Override
	public DataSet next(int num) {
		if (!hasNext()) throw new NoSuchElementException("Epoch finished; call reset()");
		VolumePatchSampler.Pair[] pairs = new VolumePatchSampler.Pair[num];
		for (int i = 0; i < num; i++) pairs[i] = preparation.prepare(sampler.next(rng), rng);
		done++;
		DataSet ds = toDataSet(List.of(pairs));
		if (preProcessor != null) preProcessor.preProcess(ds);
		return ds;
	}

	@Override public DataSet next() { return next(batchSize); }
	@Override public boolean hasNext() { return done < steps; }
	@Override public void reset() { done = 0; }
	@Override public boolean resetSupported() { return true; }
	@Override public boolean asyncSupported() { return true; }
	@Override public int inputColumns() { return sampler.inputChannels() * sampler.patchDepth() * sampler.patchSize() * sampler.patchSize(); }
	@Override public int totalOutcomes() { return sampler.channels() * sampler.patchDepth() * sampler.patchSize() * sampler.patchSize(); }
	@Override public int batch() { return batchSize; }
	@Override public void setPreProcessor(DataSetPreProcessor p) { this.preProcessor = p; }
	@Override public DataSetPreProcessor getPreProcessor() { return preProcessor; }
	@Override public List<String> getLabels() { return null; }
}
