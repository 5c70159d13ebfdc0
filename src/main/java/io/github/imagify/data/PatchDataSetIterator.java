package io.github.imagify.data;

import java.util.List;
import java.util.Random;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One epoch of random training batches for DL4J: {@code steps} batches of {@code batchSize} patch pairs,
 * NCHW, each pair prepared ({@link PairPreparation}) as it is drawn. The random stream continues across epochs, so no
 * two epochs see the same patches.
 */
public final class PatchDataSetIterator implements DataSetIterator {

	private final PatchSampler sampler;
	private final int batchSize;
	private final int steps;
	private final Random rng;
	private final PairPreparation preparation;
	private int done;
	private DataSetPreProcessor preProcessor;

	public PatchDataSetIterator(PatchSampler sampler, int batchSize, int steps, long seed) {
		this(sampler, batchSize, steps, seed, PairPreparation.NONE);
	}

	public PatchDataSetIterator(PatchSampler sampler, int batchSize, int steps, long seed, PairPreparation preparation) {
		if (batchSize < 1) throw new IllegalArgumentException("batch_size must be at least 1, got " + batchSize);
		if (steps < 1) throw new IllegalArgumentException("steps_per_epoch must be at least 1, got " + steps);
		this.sampler = sampler;
		this.batchSize = batchSize;
		this.steps = steps;
		this.rng = new Random(seed);
		this.preparation = preparation;
	}

	/**
	 * Stacks pairs into one DataSet (features = degraded, labels = clean); pairs with loss weights (all or none) give
	 * them as the labels mask, which DL4J's loss multiplies each pixel's error by.
	 */
	public static DataSet toDataSet(List<PatchSampler.Pair> pairs) {
		PatchSampler.Pair first = pairs.get(0);
		// a told model's input has its condition channel beyond the target's channels
		int ci = first.input().channels(), co = first.target().channels(), h = first.input().height(), w = first.input().width();
		int perIn = ci * h * w, perOut = co * h * w;
		boolean weighted = first.lossWeights() != null;
		float[] x = new float[pairs.size() * perIn], y = new float[pairs.size() * perOut], m = weighted ? new float[y.length] : null;
		for (int i = 0; i < pairs.size(); i++) {
			PatchSampler.Pair pair = pairs.get(i);
			System.arraycopy(pair.input().data(), 0, x, i * perIn, perIn);
			System.arraycopy(pair.target().data(), 0, y, i * perOut, perOut);
			if (weighted != (pair.lossWeights() != null)) throw new IllegalArgumentException("Pairs with and without loss weights in one batch");
			if (weighted) System.arraycopy(pair.lossWeights().data(), 0, m, i * perOut, perOut);
		}
		long[] outShape = { pairs.size(), co, h, w };
		INDArray features = Nd4j.create(x, new long[] { pairs.size(), ci, h, w }, 'c');
		INDArray labels = Nd4j.create(y, outShape, 'c');
		return new DataSet(features, labels, null, weighted ? Nd4j.create(m, outShape, 'c') : null);
	}

	@Override
	public DataSet next(int num) {
		if (!hasNext()) throw new java.util.NoSuchElementException("Epoch finished; call reset()");
		PatchSampler.Pair[] pairs = new PatchSampler.Pair[num];
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
	@Override public int inputColumns() { return sampler.inputChannels() * sampler.patchSize() * sampler.patchSize(); }
	@Override public int totalOutcomes() { return sampler.channels() * sampler.patchSize() * sampler.patchSize(); }
	@Override public int batch() { return batchSize; }
	@Override public void setPreProcessor(DataSetPreProcessor p) { this.preProcessor = p; }
	@Override public DataSetPreProcessor getPreProcessor() { return preProcessor; }
	@Override public List<String> getLabels() { return null; }
}
