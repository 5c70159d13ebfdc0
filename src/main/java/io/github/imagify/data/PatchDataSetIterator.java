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
 * NCHW. The random stream continues across epochs, so no two epochs see the same patches.
 */
public final class PatchDataSetIterator implements DataSetIterator {

	private final PatchSampler sampler;
	private final int batchSize;
	private final int steps;
	private final Random rng;
	private int done;
	private DataSetPreProcessor preProcessor;

	public PatchDataSetIterator(PatchSampler sampler, int batchSize, int steps, long seed) {
		if (batchSize < 1) throw new IllegalArgumentException("batch_size must be at least 1, got " + batchSize);
		if (steps < 1) throw new IllegalArgumentException("steps_per_epoch must be at least 1, got " + steps);
		this.sampler = sampler;
		this.batchSize = batchSize;
		this.steps = steps;
		this.rng = new Random(seed);
	}

	/** Stacks pairs into one DataSet (features = degraded, labels = clean). */
	public static DataSet toDataSet(List<PatchSampler.Pair> pairs) {
		PatchSampler.Pair first = pairs.get(0);
		// a told model's input has its condition channel beyond the target's channels
		int ci = first.input().channels(), co = first.target().channels(), h = first.input().height(), w = first.input().width();
		int perIn = ci * h * w, perOut = co * h * w;
		float[] x = new float[pairs.size() * perIn], y = new float[pairs.size() * perOut];
		for (int i = 0; i < pairs.size(); i++) {
			System.arraycopy(pairs.get(i).input().data(), 0, x, i * perIn, perIn);
			System.arraycopy(pairs.get(i).target().data(), 0, y, i * perOut, perOut);
		}
		INDArray features = Nd4j.create(x, new long[] { pairs.size(), ci, h, w }, 'c');
		INDArray labels = Nd4j.create(y, new long[] { pairs.size(), co, h, w }, 'c');
		return new DataSet(features, labels);
	}

	@Override
	public DataSet next(int num) {
		if (!hasNext()) throw new java.util.NoSuchElementException("Epoch finished; call reset()");
		PatchSampler.Pair[] pairs = new PatchSampler.Pair[num];
		for (int i = 0; i < num; i++) pairs[i] = sampler.next(rng);
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
