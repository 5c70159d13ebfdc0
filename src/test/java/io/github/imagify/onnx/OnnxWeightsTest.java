package io.github.imagify.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import io.github.imagify.model.UNet;
import io.github.imagify.model.UNetSpec;
import io.github.imagify.testing.TestModels;

/** Weights back from our ONNX export into a DL4J graph, the start of fine-tuning. */
class OnnxWeightsTest {

	@Test
	void exportedWeightsComeBackExactlyAndTheGraphComputesWhatTheModelDoes() throws Exception {
		UNetSpec spec = new UNetSpec(1, 2, 4, 0.0, true, 1.0);
		ComputationGraph trained = TestModels.randomGraph(spec, 3);
		byte[] onnx = OnnxExporter.export(trained, "test");
		ComputationGraph fresh = UNet.build(spec, 32, 1e-3, 99); // other initial weights
		assertNotEquals(trained.params(), fresh.params());
		OnnxWeights.copyInto(onnx, fresh);
		assertEquals(trained.params(), fresh.params());
		double[] diff = OnnxExporterTest.compare(fresh, onnx, 2, 1, 24, 32);
		assertTrue(diff[0] <= 1e-4 * Math.max(1, diff[1]), "DL4J after import vs ONNX Runtime: " + diff[0]);
	}

	/**
	 * A blind model starts a told one: with the condition's weights at zero the told net computes what the blind model
	 * does, whatever the condition holds; a told model's own export (with its channel selection) comes back exactly.
	 */
	@Test
	void aBlindModelStartsAToldOneAsItself() throws Exception {
		UNetSpec blind = new UNetSpec(1, 2, 4, 0.0, true, 1.0);
		ComputationGraph trained = TestModels.randomGraph(blind, 3);
		ComputationGraph told = UNet.build(blind.withCondition(UNetSpec.BLUR_SIGMA), 32, 1e-3, 99);
		assertThrows(IOException.class, () -> OnnxWeights.copyInto(OnnxExporter.export(trained, "test"), told));
		OnnxWeights.copyInto(OnnxExporter.export(trained, "test"), told, true);
		INDArray image = Nd4j.rand(DataType.FLOAT, 2, 1, 24, 32);
		INDArray expected = trained.outputSingle(false, image);
		for (float sigma : new float[] { 0.5f, 3f }) {
			INDArray withCondition = Nd4j.concat(1, image, Nd4j.valueArrayOf(new long[] { 2, 1, 24, 32 }, sigma, DataType.FLOAT));
			assertEquals(0, expected.sub(told.outputSingle(false, withCondition)).amaxNumber().doubleValue(), 1e-5);
		}
		ComputationGraph again = UNet.build(blind.withCondition(UNetSpec.BLUR_SIGMA), 32, 1e-3, 5);
		OnnxExporterTest.randomise(told, 8);
		OnnxWeights.copyInto(OnnxExporter.export(told, "test"), again);
		assertEquals(told.params(), again.params());
	}

	/**
	 * A model starts one with more refinement convolutions as itself: the added ones start as identities, so the
	 * deeper net computes what the model does; without the flag the missing weights are refused, and a model's own
	 * refinement weights come back exactly.
	 */
	@Test
	void addedRefinementConvolutionsStartAsIdentities() throws Exception {
		UNetSpec shallow = new UNetSpec(1, 2, 4, 0.0, true, 1.0).withRefineConvs(1);
		ComputationGraph trained = TestModels.randomGraph(shallow, 3);
		byte[] onnx = OnnxExporter.export(trained, "test");
		ComputationGraph deeper = UNet.build(shallow.withRefineConvs(3), 32, 1e-3, 99);
		assertTrue(assertThrows(IOException.class, () -> OnnxWeights.copyInto(onnx, deeper)).getMessage().contains("refine1."));
		OnnxWeights.copyInto(onnx, deeper, false, true);
		INDArray image = Nd4j.rand(DataType.FLOAT, 2, 1, 24, 32);
		INDArray expected = trained.outputSingle(false, image);
		assertTrue(expected.sub(image).amaxNumber().doubleValue() > 1e-3, "the random model changes its input");
		assertEquals(0, expected.sub(deeper.outputSingle(false, image)).amaxNumber().doubleValue(), 1e-5);
		OnnxExporterTest.randomise(deeper, 8);
		ComputationGraph again = UNet.build(shallow.withRefineConvs(3), 32, 1e-3, 5);
		OnnxWeights.copyInto(OnnxExporter.export(deeper, "test"), again, false, true);
		assertEquals(deeper.params(), again.params());
	}

	/**
	 * A model starts a wider one (more base filters) as itself, also when the wider one is told a condition: the added
	 * filters do not reach the output, whatever their random weights, so the outputs agree; one training step connects
	 * them (the weights from added filters into the model's, zero at the start, are not zero after it).
	 */
	@Test
	void aModelStartsAWiderOneAsItself() throws Exception {
		UNetSpec narrow = new UNetSpec(1, 2, 4, 0.0, true, 1.0);
		ComputationGraph trained = TestModels.randomGraph(narrow, 3);
		byte[] onnx = OnnxExporter.export(trained, "test");
		UNetSpec wideSpec = new UNetSpec(1, 2, 6, 0.0, true, 1.0);
		ComputationGraph wide = UNet.build(wideSpec, 32, 1e-3, 99);
		assertTrue(assertThrows(IOException.class, () -> OnnxWeights.copyInto(onnx, wide)).getMessage().contains("have shape"));
		OnnxWeights.copyInto(onnx, wide, false, false, true);
		INDArray image = Nd4j.rand(DataType.FLOAT, 2, 1, 24, 32);
		INDArray expected = trained.outputSingle(false, image);
		assertTrue(expected.sub(image).amaxNumber().doubleValue() > 1e-3, "the random model changes its input");
		assertEquals(0, expected.sub(wide.outputSingle(false, image)).amaxNumber().doubleValue(), 1e-5);
		// the added filters are alive: not zero, and the decoder's concatenation reads the model's skip channels where they now are
		assertTrue(wide.getLayer("enc0_conv2").getParam("W").get(NDArrayIndex.interval(4, 6)).amaxNumber().doubleValue() > 0);
		INDArray fromAdded = wide.getLayer("dec0_conv2").getParam("W").get(NDArrayIndex.interval(0, 4), NDArrayIndex.interval(4, 6));
		assertEquals(0, fromAdded.amaxNumber().doubleValue());
		wide.fit(new org.nd4j.linalg.dataset.DataSet(image, image.mul(0.5)));
		assertTrue(wide.getLayer("dec0_conv2").getParam("W").get(NDArrayIndex.interval(0, 4), NDArrayIndex.interval(4, 6)).amaxNumber().doubleValue() > 0,
				"a training step connects the added filters");

		ComputationGraph toldWide = UNet.build(wideSpec.withCondition(UNetSpec.BLUR_SIGMA), 32, 1e-3, 7);
		OnnxWeights.copyInto(onnx, toldWide, true, false, true);
		INDArray withCondition = Nd4j.concat(1, image, Nd4j.valueArrayOf(new long[] { 2, 1, 24, 32 }, 2f, DataType.FLOAT));
		assertEquals(0, expected.sub(toldWide.outputSingle(false, withCondition)).amaxNumber().doubleValue(), 1e-5);
		// without the top skip, the top decoder level's convolution reads no concatenation: its input channels grow as one run
		UNetSpec noTopSkip = narrow.withTopSkip(false);
		ComputationGraph trainedNoSkip = TestModels.randomGraph(noTopSkip, 4);
		ComputationGraph wideNoSkip = UNet.build(wideSpec.withTopSkip(false), 32, 1e-3, 98);
		OnnxWeights.copyInto(OnnxExporter.export(trainedNoSkip, "test"), wideNoSkip, false, false, true);
		assertEquals(0, trainedNoSkip.outputSingle(false, image).sub(wideNoSkip.outputSingle(false, image)).amaxNumber().doubleValue(), 1e-5);
		ComputationGraph narrower = UNet.build(new UNetSpec(1, 2, 3, 0.0, true, 1.0), 32, 1e-3, 1);
		assertTrue(assertThrows(IOException.class, () -> OnnxWeights.copyInto(onnx, narrower, false, false, true)).getMessage().contains("have shape"));
	}

	@Test
	void anotherArchitectureIsRefusedByName() {
		byte[] onnx = OnnxExporter.export(TestModels.randomGraph(new UNetSpec(1, 2, 4, 0.0, true, 1.0), 3), "test");
		ComputationGraph wider = UNet.build(new UNetSpec(1, 2, 8, 0.0, true, 1.0), 32, 1e-3, 1);
		assertTrue(assertThrows(IOException.class, () -> OnnxWeights.copyInto(onnx, wider)).getMessage().contains("have shape"));
		ComputationGraph deeper = UNet.build(new UNetSpec(1, 3, 4, 0.0, true, 1.0), 32, 1e-3, 1);
		assertTrue(assertThrows(IOException.class, () -> OnnxWeights.copyInto(onnx, deeper)).getMessage().contains("start from a model of the same architecture"));
	}
}
