package io.github.imagify.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import io.github.imagify.blindspot.BlindSpotMasker;
import io.github.imagify.blindspot.BlindSpotMasking;
import io.github.imagify.data.PatchDataSetIterator;
import io.github.imagify.data.PatchSampler;
import io.github.imagify.image.FloatImage;
import io.github.imagify.model.UNet;
import io.github.imagify.model.UNetSpec;

/**
 * Noise2Void's loss through real DL4J on a tiny U-Net: only the masked pixels count, as the mean of their squared
 * errors, in training's score and gradient as in the validation loss.
 */
class BlindSpotLossTest {

	static final int SIZE = 16;

	/** Two noisy two-channel patches, masked: a 4-pixel grid, so about 16 masked pixels a channel. */
	static DataSet maskedBatch() {
		Random rng = new Random(3);
		BlindSpotMasker masker = new BlindSpotMasker(new BlindSpotMasking(1.0 / 16, 3, BlindSpotMasking.UNIFORM, BlindSpotMasking.NONE, 5));
		List<PatchSampler.Pair> pairs = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			FloatImage noisy = new FloatImage(2, SIZE, SIZE);
			for (int j = 0; j < noisy.data().length; j++) noisy.data()[j] = (float) (0.5 + 0.2 * rng.nextGaussian());
			pairs.add(masker.prepare(new PatchSampler.Pair(noisy, noisy.copy()), rng));
		}
		return PatchDataSetIterator.toDataSet(pairs);
	}

	record ScoreAndGradient(double score, INDArray gradient) {}

	static ScoreAndGradient scoreAndGradient(ComputationGraph graph, DataSet ds, INDArray labels) {
		graph.setInputs(ds.getFeatures());
		graph.setLabels(labels);
		graph.setLayerMaskArrays(null, new INDArray[] { ds.getLabelsMaskArray() });
		graph.computeGradientAndScore();
		return new ScoreAndGradient(graph.score(), graph.gradient().gradient().dup());
	}

	@Test
	void theLossAndItsGradientIgnoreTheUnmaskedPixels() {
		ComputationGraph graph = UNet.build(new UNetSpec(2, 2, 4, 0, false, 1.0), SIZE, 1e-3, 8); // direct: the output is the network's own
		DataSet ds = maskedBatch();
		INDArray mask = ds.getLabelsMaskArray();
		assertNotNull(mask, "the loss weights go to DL4J as the labels mask");
		ScoreAndGradient before = scoreAndGradient(graph, ds, ds.getLabels());

		// targets that differ from the network's output by anything at the unmasked pixels: the same loss, the same gradient
		INDArray elsewhere = ds.getLabels().dup();
		INDArray unmasked = mask.eq(0).castTo(elsewhere.dataType());
		assertTrue(unmasked.sumNumber().doubleValue() > 0.9 * unmasked.length(), "most pixels are not masked");
		elsewhere.addi(unmasked.mul(7.5));
		ScoreAndGradient moved = scoreAndGradient(graph, ds, elsewhere);
		assertEquals(before.score(), moved.score(), 1e-6 * before.score());
		assertEquals(0, moved.gradient().sub(before.gradient()).amaxNumber().doubleValue(), 1e-6);

		// one masked pixel's target moved: both change, so the test above can fail
		INDArray one = ds.getLabels().dup();
		long[] at = firstMasked(mask);
		one.putScalar(at, one.getDouble(at) + 1);
		ScoreAndGradient changed = scoreAndGradient(graph, ds, one);
		assertTrue(changed.score() > before.score() * 1.01, changed.score() + " vs " + before.score());
		assertTrue(changed.gradient().sub(before.gradient()).amaxNumber().doubleValue() > 1e-4);

		// the score, per pixel as the trainer reports it, is the mean squared error over the masked pixels (of each patch
		// channel, averaged), and the validation loss is the same figure
		INDArray out = graph.outputSingle(false, ds.getFeatures());
		double expected = 0;
		for (int n = 0; n < 2; n++)
			for (int c = 0; c < 2; c++) {
				double sum = 0;
				int count = 0;
				for (int y = 0; y < SIZE; y++)
					for (int x = 0; x < SIZE; x++)
						if (mask.getDouble(n, c, y, x) > 0) {
							double d = out.getDouble(n, c, y, x) - ds.getLabels().getDouble(n, c, y, x);
							sum += d * d;
							count++;
						}
				expected += sum / count / 4;
			}
		assertEquals(expected, before.score() / (SIZE * SIZE), 1e-5 * expected);
		assertEquals(expected, Trainer.validationLoss(graph, List.of(ds)), 1e-5 * expected);
	}

	private static long[] firstMasked(INDArray mask) {
		for (int y = 0; y < SIZE; y++)
			for (int x = 0; x < SIZE; x++)
				if (mask.getDouble(0, 1, y, x) > 0) return new long[] { 0, 1, y, x };
		throw new AssertionError("no masked pixel");
	}
}
