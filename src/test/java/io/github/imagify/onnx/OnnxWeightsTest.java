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

	@Test
	void anotherArchitectureIsRefusedByName() {
		byte[] onnx = OnnxExporter.export(TestModels.randomGraph(new UNetSpec(1, 2, 4, 0.0, true, 1.0), 3), "test");
		ComputationGraph wider = UNet.build(new UNetSpec(1, 2, 8, 0.0, true, 1.0), 32, 1e-3, 1);
		assertTrue(assertThrows(IOException.class, () -> OnnxWeights.copyInto(onnx, wider)).getMessage().contains("have shape"));
		ComputationGraph deeper = UNet.build(new UNetSpec(1, 3, 4, 0.0, true, 1.0), 32, 1e-3, 1);
		assertTrue(assertThrows(IOException.class, () -> OnnxWeights.copyInto(onnx, deeper)).getMessage().contains("start from a model of the same architecture"));
	}
}
