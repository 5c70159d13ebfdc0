package io.github.imagify.bench;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.imagify.image.FloatImage;
import io.github.imagify.model.UNet;
import io.github.imagify.model.UNetSpec;
import io.github.imagify.modelfile.ModelFile;
import io.github.imagify.modelfile.OnnxGraphCheck;
import io.github.imagify.ort.OnnxNetwork;
import io.github.imagify.plugin.PluginClassLoader;
import io.github.imagify.train.OneDnn;
import onnx.Onnx.ModelProto;
import onnx.Onnx.TensorProto;

/**
 * The bundled model's weights run by DL4J's forward pass (oneDNN switched on, as training does) and by ONNX
 * Runtime through {@link OnnxNetwork} (the restore path's network class, its Java-native copies included), on
 * the same 1 x channels x size x size input. The DL4J network is built from the model's spec and given the
 * ONNX weights, so both compute the same function: their largest output difference is reported as a check.
 */
final class Dl4jSection {

	private Dl4jSection() {}

	static void run(ModelFile model, int size, int repeats, double flopsPerPixel, Map<String, Double> figures, PrintStream out) throws Exception {
		byte[] onnx = OnnxGraphCheck.check(model.onnx(), model.info());
		UNetSpec spec = UNetSpec.fromMap(model.info().network());
		FloatImage input = Inputs.normalized(spec.channels(), size, 3);
		double gflop = flopsPerPixel * size * size / 1e9;

		OneDnn.enable(); // before DL4J builds a layer
		ComputationGraph graph = PluginClassLoader.asContext(() -> UNet.build(spec, spec.sizeMultiple(), 1e-3, 1));
		copyWeights(onnx, graph);
		out.println("dl4j: " + OneDnn.check(graph));
		INDArray x = Nd4j.create(input.data(), new long[] { 1, spec.channels(), size, size }, 'c');
		float[] dl4jOut = graph.outputSingle(false, x).dup('c').data().asFloat(); // warm-up
		double[] dl4j = Measure.seconds(repeats, () -> graph.outputSingle(false, x));

		float[] ortOut;
		double[] ort;
		try (OnnxNetwork network = new OnnxNetwork(onnx, 0)) {
			ortOut = network.run(List.of(input)).get(0).data(); // warm-up
			ort = Measure.seconds(repeats, () -> network.run(List.of(input)));
		}
		double diff = 0;
		for (int i = 0; i < ortOut.length; i++) diff = Math.max(diff, Math.abs(ortOut[i] - dl4jOut[i]));

		double dl4jS = Measure.median(dl4j), ortS = Measure.median(ort);
		out.println(String.format("dl4j: forward 1x%dx%dx%d (%.1f GFLOP), DL4J: %s = %.1f GFLOP/s", spec.channels(), size, size, gflop,
				Measure.describe(dl4j), gflop / dl4jS));
		out.println(String.format("dl4j: same input, ONNX Runtime (DJL): %s = %.1f GFLOP/s; ORT/DL4J speed %.2fx; largest output difference %.2g",
				Measure.describe(ort), gflop / ortS, dl4jS / ortS, diff));
		figures.put("dl4j_size", (double) size);
		figures.put("dl4j_forward_s", dl4jS);
		figures.put("dl4j_forward_gflops", gflop / dl4jS);
		figures.put("ort_forward_s", ortS);
		figures.put("ort_forward_gflops", gflop / ortS);
		figures.put("ort_dl4j_ratio", dl4jS / ortS);
		figures.put("dl4j_ort_max_diff", diff);
	}

	/**
	 * Gives the DL4J graph the ONNX graph's weights. Our exporter names them {@code <vertex>.W} and
	 * {@code <vertex>.b} in DL4J's own layouts (Conv [out, in, kH, kW]; Deconvolution2D [in, out, kH, kW], which is
	 * ONNX ConvTranspose's), so they copy as they are; every parameter of the graph must be covered.
	 */
	static void copyWeights(byte[] onnx, ComputationGraph graph) throws Exception {
		long copied = 0;
		for (TensorProto t : ModelProto.parseFrom(onnx).getGraph().getInitializerList()) {
			String name = t.getName();
			int dot = name.lastIndexOf('.');
			String key = name.substring(dot + 1);
			if (dot < 0 || !(key.equals("W") || key.equals("b"))) continue; // e.g. the input scale factor, part of the spec
			Layer layer = graph.getLayer(name.substring(0, dot));
			INDArray param = layer == null ? null : layer.getParam(key);
			if (param == null || param.length() * 4 != t.getRawData().size())
				throw new IllegalStateException("ONNX weight " + name + " has no DL4J parameter of its size");
			float[] values = new float[(int) param.length()];
			ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
			param.assign(Nd4j.create(values, param.shape(), 'c'));
			copied += values.length;
		}
		if (copied != graph.numParams())
			throw new IllegalStateException("Copied " + copied + " weights into a DL4J graph of " + graph.numParams());
	}
}
