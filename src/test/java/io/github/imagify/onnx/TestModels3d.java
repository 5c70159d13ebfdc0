package io.github.imagify.onnx;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.github.imagify.image.Normalization;
import io.github.imagify.modelfile.ModelFile;
import io.github.imagify.modelfile.ModelInfo;
import onnx.Onnx.ModelProto;
import onnx.Onnx.OperatorSetIdProto;

/**
 * A tiny 3D U-Net written by hand as an ONNX graph (the exporter writes only 2D ones here), with random fixed weights:
 * Conv 3x3x3 (1 -> 4) -> Relu -> MaxPool 2x2x2 -> Conv 3x3x3 (4 -> 8) -> Relu -> ConvTranspose 2x2x2 stride 2 (8 -> 4),
 * concatenated with the first Relu -> Conv 3x3x3 (8 -> 1), subtracted from the input (residual). Without Z pooling
 * the pool and up-convolution are 1x2x2. Its receptive-field radius is 5 voxels in Y and X (and in Z when it pools Z;
 * 3 planes otherwise), worked out by hand as {@code UNetSpec.receptiveFieldRadius} walks a U-Net: the head conv widens
 * [y, y] to [y-1, y+1]; the skip's conv to [y-2, y+2]; the deep path's up-conv maps it to [a, b] = [floor((y-1)/2),
 * floor((y+1)/2)], its conv to [a-1, b+1], the pool to [2a-2, 2b+3], the first conv to [2a-3, 2b+4]: 5 on one side.
 */
public final class TestModels3d {

	/** The receptive-field radius of the graph in Y and X. */
	public static final int RADIUS = 5;

	private TestModels3d() {}

	/**
	 * @param poolZ        whether the pool and up-convolution act on Z (2x2x2) or only on Y and X (1x2x2)
	 * @param sizeMultiple what the model file says input sizes must be multiples of: 2, the graph's own, or a larger
	 *                     power of two (still true of the graph), to give the model a larger minimum depth
	 */
	public static ModelFile tinyUNet(boolean poolZ, int sizeMultiple, long seed) {
		Random random = new Random(seed);
		OnnxGraph g = new OnnxGraph();
		g.reserve(OnnxExporter.INPUT);
		g.reserve(OnnxExporter.OUTPUT);
		g.input(OnnxGraph.floatTensor(OnnxExporter.INPUT, "N", 1L, "D", "H", "W"));
		long[] window = poolZ ? new long[] { 2, 2, 2 } : new long[] { 1, 2, 2 };
		String c1 = conv(g, random, "conv1", OnnxExporter.INPUT, 1, 4);
		String r1 = relu(g, "relu1", c1);
		String p1 = g.tensorName("pool1");
		g.node("MaxPool", "pool1", List.of(r1), p1, OnnxGraph.ints("kernel_shape", window), OnnxGraph.ints("strides", window));
		String r2 = relu(g, "relu2", conv(g, random, "conv2", p1, 4, 8));
		String up = g.tensorName("up1");
		g.node("ConvTranspose", "up1", List.of(r2, weights(g, random, "up1_W", new long[] { 8, 4, window[0], window[1], window[2] }, 8 * window[0] * window[1] * window[2]),
				bias(g, random, "up1_b", 4)), up, OnnxGraph.ints("kernel_shape", window), OnnxGraph.ints("strides", window));
		String joined = g.tensorName("concat1");
		g.node("Concat", "concat1", List.of(r1, up), joined, OnnxGraph.integer("axis", 1));
		String head = conv(g, random, "head", joined, 8, 1);
		g.node("Sub", "residual", List.of(OnnxExporter.INPUT, head), OnnxExporter.OUTPUT);
		g.output(OnnxGraph.floatTensor(OnnxExporter.OUTPUT, "N", 1L, "D", "H", "W"));
		byte[] onnx = ModelProto.newBuilder().setIrVersion(OnnxExporter.IR_VERSION).setProducerName(OnnxExporter.PRODUCER)
				.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxExporter.OPSET))
				.setGraph(g.build("tiny-unet-3d", "test")).build().toByteArray();
		Map<String, Object> network = new LinkedHashMap<>();
		network.put(ModelInfo.DIMS, 3);
		network.put(ModelInfo.POOL_Z, poolZ);
		network.put("depth", 1);
		ModelInfo info = new ModelInfo("tiny-3d", "random 3D test model", 1, sizeMultiple, RADIUS, Normalization.DEFAULT,
				Map.of("type", "gaussian_noise"), network, Map.of("epochs", 0));
		return new ModelFile(info, onnx);
	}

	/** A 3x3x3 convolution with "same" padding and a bias. */
	private static String conv(OnnxGraph g, Random random, String name, String input, int in, int out) {
		String w = weights(g, random, name + "_W", new long[] { out, in, 3, 3, 3 }, 27L * in);
		String y = g.tensorName(name);
		g.node("Conv", name, List.of(input, w, bias(g, random, name + "_b", out)), y, OnnxGraph.ints("kernel_shape", 3, 3, 3),
				OnnxGraph.ints("pads", 1, 1, 1, 1, 1, 1));
		return y;
	}

	private static String relu(OnnxGraph g, String name, String input) {
		String y = g.tensorName(name);
		g.node("Relu", name, List.of(input), y);
		return y;
	}

	/** Uniform weights scaled by the fan-in, so activations stay O(1). */
	private static String weights(OnnxGraph g, Random random, String name, long[] dims, long fanIn) {
		long n = 1;
		for (long d : dims) n *= d;
		float[] data = new float[(int) n];
		double scale = 2 * Math.sqrt(3.0 / fanIn);
		for (int i = 0; i < data.length; i++) data[i] = (float) ((random.nextDouble() - 0.5) * scale);
		return g.initializer(name, dims, data);
	}

	private static String bias(OnnxGraph g, Random random, String name, int n) {
		float[] data = new float[n];
		for (int i = 0; i < n; i++) data[i] = (float) ((random.nextDouble() - 0.5) * 0.2);
		return g.initializer(name, new long[] { n }, data);
	}
}
