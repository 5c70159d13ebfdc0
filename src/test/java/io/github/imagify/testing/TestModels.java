package io.github.imagify.testing;

import java.util.Map;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.imagify.image.Normalization;
import io.github.imagify.model.UNet;
import io.github.imagify.model.UNetSpec;
import io.github.imagify.modelfile.ModelFile;
import io.github.imagify.modelfile.ModelInfo;
import io.github.imagify.onnx.OnnxExporter;

/** Small real models for tests: a DL4J U-Net with random weights (biases too), exported by our exporter. */
public final class TestModels {

	private TestModels() {}

	/** A 3D spec's graph is built for volumes (its ONNX graph, as every exported one, takes any valid depth, height and width). */
	public static ComputationGraph randomGraph(UNetSpec spec, long seed) {
		ComputationGraph graph = UNet.build(spec, 4 * spec.sizeMultiple(), spec.is3d() ? 4 * spec.sizeMultipleZ() : 1, 1e-3, seed);
		Nd4j.getRandom().setSeed(seed);
		for (Map.Entry<String, INDArray> p : graph.paramTable().entrySet()) {
			INDArray a = p.getValue();
			// fan-in scaling keeps activations O(1) through the depth; biases uniform in [-0.1, 0.1)
			double scale = p.getKey().endsWith("_b") ? 0.2 : 2 * Math.sqrt(3.0 / (a.length() / a.size(0)));
			a.assign(Nd4j.rand(DataType.FLOAT, a.shape()).subi(0.5).muli(scale));
		}
		return graph;
	}

	public static ModelFile modelFile(ComputationGraph graph, UNetSpec spec, String name) {
		return modelFile(graph, spec, name, "gaussian_noise");
	}

	/** @param degradationType what the model file says it was trained on ("pairs" for degraded/clean pairs) */
	public static ModelFile modelFile(ComputationGraph graph, UNetSpec spec, String name, String degradationType) {
		ModelInfo info = new ModelInfo(name, "random test model", spec.channels(), spec.sizeMultiple(), spec.receptiveFieldRadius(),
				Normalization.DEFAULT, Map.of("type", degradationType), spec.toMap(), trainingRecord(degradationType));
		return new ModelFile(info, OnnxExporter.export(graph, "test"));
	}

	/** A training record as Train writes it in short: a self-supervised method's key is the record's method, as it is the degradation's type. */
	private static Map<String, Object> trainingRecord(String degradationType) {
		boolean selfSupervised = java.util.Arrays.stream(io.github.imagify.train.TrainingMethod.values())
				.anyMatch(m -> m.selfSupervised() && m.key().equals(degradationType));
		return selfSupervised ? Map.of("epochs", 0, "method", degradationType) : Map.of("epochs", 0);
	}

	/** A model told the blur sigma, trained (so its file says) on blur sigma 0.5..3. */
	public static ModelFile toldModelFile(ComputationGraph graph, UNetSpec spec, String name) {
		ModelInfo info = new ModelInfo(name, "random told test model", spec.channels(), spec.sizeMultiple(), spec.receptiveFieldRadius(),
				Normalization.DEFAULT, Map.of("type", "gaussian_blur", "blur_sigma_min", 0.5, "blur_sigma_max", 3.0), spec.toMap(), Map.of("epochs", 0));
		return new ModelFile(info, OnnxExporter.export(graph, "test"));
	}

	public static ModelFile randomModel(int channels, int depth, int baseFilters, long seed) {
		UNetSpec spec = new UNetSpec(channels, depth, baseFilters, 0.0, true, 1.0);
		return modelFile(randomGraph(spec, seed), spec, "random-" + channels + "c-d" + depth);
	}
}
