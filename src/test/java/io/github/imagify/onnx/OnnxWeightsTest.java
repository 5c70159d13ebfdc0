package io.github.imagify.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

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

	@Test
	void anotherArchitectureIsRefusedByName() {
		byte[] onnx = OnnxExporter.export(TestModels.randomGraph(new UNetSpec(1, 2, 4, 0.0, true, 1.0), 3), "test");
		ComputationGraph wider = UNet.build(new UNetSpec(1, 2, 8, 0.0, true, 1.0), 32, 1e-3, 1);
		assertTrue(assertThrows(IOException.class, () -> OnnxWeights.copyInto(onnx, wider)).getMessage().contains("have shape"));
		ComputationGraph deeper = UNet.build(new UNetSpec(1, 3, 4, 0.0, true, 1.0), 32, 1e-3, 1);
		assertTrue(assertThrows(IOException.class, () -> OnnxWeights.copyInto(onnx, deeper)).getMessage().contains("start from a model of the same architecture"));
	}
}
