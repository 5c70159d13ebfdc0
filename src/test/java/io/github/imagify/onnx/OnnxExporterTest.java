package io.github.imagify.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.github.imagify.image.FloatImage;
import io.github.imagify.model.UNet;
import io.github.imagify.model.UNetSpec;
import io.github.imagify.ort.OnnxNetwork;
import onnx.Onnx.ModelProto;
import onnx.Onnx.TensorShapeProto.Dimension;
import onnx.Onnx.ValueInfoProto;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The exported model computes what DL4J computes: every parameter (biases included) is randomised, so a
 * wrong weight or bias layout, padding or concat order shows up as a large difference.
 */
class OnnxExporterTest {

	private static final double TOLERANCE = 1e-4;

	@Test
	void onnxRuntimeMatchesDl4j() throws Exception {
		List<UNetSpec> specs = List.of(
			new UNetSpec(1, 1, 4, 0.1, true, 1.0),
			new UNetSpec(3, 2, 6, 0.0, false, 1.0),
			new UNetSpec(1, 3, 4, 0.1, false, 0.5),
			new UNetSpec(3, 3, 8, 0.1, true, 2.0),
			// told the blur: one more input channel, which the residual leaves out (a SubsetVertex, a 1x1 Conv in ONNX)
			new UNetSpec(1, 2, 4, 0.1, true, 1.0, UNetSpec.BLUR_SIGMA),
			new UNetSpec(3, 1, 4, 0.0, true, 0.5, UNetSpec.BLUR_SIGMA),
			new UNetSpec(1, 1, 4, 0.0, false, 1.0, UNetSpec.BLUR_SIGMA),
			new UNetSpec(1, 2, 4, 0.1, true, 1.0, null, 2),
			new UNetSpec(3, 1, 4, 0.0, true, 1.0, UNetSpec.BLUR_SIGMA, 1),
			// N2V2's U-Net without the top skip connection: the top decoder level reads the upsampled features alone
			new UNetSpec(1, 2, 4, 0.1, true, 1.0).withTopSkip(false),
			new UNetSpec(3, 1, 4, 0.0, false, 1.0, null, 1).withTopSkip(false),
			// N2V2's blur pool: a stride-1 MaxPool padded after, then a depthwise Conv (group = channels) with stride 2; the
			// randomised blur kernels are not symmetric, so a wrong kernel layout shows
			new UNetSpec(1, 2, 4, 0.1, true, 1.0).withBlurPool(true),
			new UNetSpec(3, 3, 4, 0.0, false, 1.0).withTopSkip(false).withBlurPool(true));
		StringBuilder report = new StringBuilder();
		for (UNetSpec spec : specs) {
			ComputationGraph graph = UNet.build(spec, 16, 1e-3, 5);
			randomise(graph, 5);
			byte[] onnx = OnnxExporter.export(graph, "test");
			for (int batch = 1; batch <= 2; batch++) {
				double[] d = compare(graph, onnx, batch, spec.inputChannels(), 48, 64);
				double diff = d[0];
				report.append(String.format("depth %d, channels %d, residual %b, condition %s, top skip %b, blur pool %b, batch %d: max |ORT - DL4J| = %.3g (max |DL4J| = %.3g)%n",
					spec.depth(), spec.channels(), spec.residual(), spec.condition(), spec.topSkip(), spec.blurPool(), batch, diff, d[1]));
				assertTrue(diff <= TOLERANCE, spec + " batch " + batch + ": " + diff);
			}
		}
		System.out.print(report);
	}

	@Test
	void modelDeclaresOpsetAndSymbolicDims() throws Exception {
		ComputationGraph graph = UNet.build(new UNetSpec(3, 2, 4, 0.1, true, 1.0), 16, 1e-3, 1);
		ModelProto model = ModelProto.parseFrom(OnnxExporter.export(graph, "1.2.3", Map.of("imagify.spec", "{}")));
		assertEquals(13, model.getOpsetImport(0).getVersion());
		assertEquals("", model.getOpsetImport(0).getDomain());
		assertEquals(OnnxExporter.IR_VERSION, model.getIrVersion());
		assertEquals("Imagify", model.getProducerName());
		assertEquals("1.2.3", model.getProducerVersion());
		assertEquals("{}", model.getMetadataProps(0).getValue());
		assertDims(model.getGraph().getInput(0), "input", "batch", 3L, "height", "width");
		assertDims(model.getGraph().getOutput(0), "output", "batch", 3L, "height", "width");
		assertTrue(model.getGraph().getInitializerList().stream().anyMatch(t -> t.getName().equals("enc0_conv1.W")));
		assertTrue(model.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("ConvTranspose")
			&& n.getName().equals("dec1_up")));
		assertTrue(model.getGraph().getNodeList().stream().noneMatch(n -> n.getName().contains("dropout")));
	}

	/** The blur pool as ONNX: MaxPool 2x2 stride 1 padded after, then Conv 3x3 stride 2, one group per channel, the binomial weights. */
	@Test
	void blurPoolIsAStrideOneMaxPoolAndADepthwiseConv() throws Exception {
		ComputationGraph graph = UNet.build(new UNetSpec(1, 2, 4, 0.0, true, 1.0).withBlurPool(true), 16, 1e-3, 1);
		ModelProto model = ModelProto.parseFrom(OnnxExporter.export(graph, "t"));
		onnx.Onnx.NodeProto pool = node(model, "enc1_pool"), blur = node(model, "enc1_blur");
		assertEquals("MaxPool", pool.getOpType());
		assertEquals(Map.of("kernel_shape", List.of(2L, 2L), "strides", List.of(1L, 1L), "pads", List.of(0L, 0L, 1L, 1L)), ints(pool));
		assertEquals("Conv", blur.getOpType());
		assertEquals(Map.of("kernel_shape", List.of(3L, 3L), "strides", List.of(2L, 2L), "pads", List.of(0L, 0L, 1L, 1L), "dilations", List.of(1L, 1L),
			"group", List.of(8L)), ints(blur));
		assertEquals(List.of(pool.getOutput(0), "enc1_blur.W"), blur.getInputList(), "no bias");
		onnx.Onnx.TensorProto w = model.getGraph().getInitializerList().stream().filter(t -> t.getName().equals("enc1_blur.W")).findFirst().orElseThrow();
		assertEquals(List.of(8L, 1L, 3L, 3L), w.getDimsList());
		java.nio.FloatBuffer values = w.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
		for (int i = 0; i < 8 * 9; i++)
			assertEquals(new float[] { 1, 2, 1, 2, 4, 2, 1, 2, 1 }[i % 9] / 16f, values.get(i), 0f, "weight " + i);
		assertDims(model.getGraph().getOutput(0), "output", "batch", 1L, "height", "width");
	}

	private static onnx.Onnx.NodeProto node(ModelProto model, String name) {
		return model.getGraph().getNodeList().stream().filter(n -> n.getName().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
	}

	/** A node's attributes, each as its list of integers. */
	private static Map<String, List<Long>> ints(onnx.Onnx.NodeProto n) {
		Map<String, List<Long>> m = new java.util.HashMap<>();
		for (onnx.Onnx.AttributeProto a : n.getAttributeList())
			m.put(a.getName(), a.getType() == onnx.Onnx.AttributeProto.AttributeType.INT ? List.of(a.getI()) : a.getIntsList());
		return m;
	}

	@Test
	void tanhConvolutionIsRejectedByName() {
		ComputationGraph graph = graph(new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(2)
			.activation(Activation.TANH).build());
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.export(graph, "t"));
		assertTrue(e.getMessage().contains("'layer'") && e.getMessage().contains("activation"), e.getMessage());
	}

	@Test
	void denseLayerIsRejectedByName() {
		ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder()
			.addInputs("in").setInputTypes(InputType.feedForward(4))
			.addLayer("dense", new DenseLayer.Builder().nOut(3).activation(Activation.RELU).build(), "in")
			.addLayer("out", new OutputLayer.Builder(LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build(), "dense")
			.setOutputs("out").build());
		graph.init();
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.export(graph, "t"));
		assertTrue(e.getMessage().contains("'dense'") && e.getMessage().contains("DenseLayer"), e.getMessage());
	}

	@Test
	void stridedSameConvolutionIsRejected() {
		ComputationGraph graph = graph(new ConvolutionLayer.Builder(3, 3).stride(2, 2).convolutionMode(ConvolutionMode.Same)
			.nOut(2).activation(Activation.RELU).build());
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.export(graph, "t"));
		assertTrue(e.getMessage().contains("ConvolutionMode.Same"), e.getMessage());
	}

	/** A one-layer CNN: input -> layer -> identity loss. */
	private static ComputationGraph graph(ConvolutionLayer layer) {
		ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder()
			.addInputs("in").setInputTypes(InputType.convolutional(8, 8, 1))
			.addLayer("layer", layer, "in")
			.addLayer("out", new CnnLossLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).build(), "layer")
			.setOutputs("out").build());
		graph.init();
		return graph;
	}

	/** Uniform weights scaled by fan-in (so activations stay O(1) through depth 3) and uniform biases in [-0.5, 0.5). */
	static void randomise(ComputationGraph graph, long seed) {
		Nd4j.getRandom().setSeed(seed);
		for (Map.Entry<String, INDArray> p : graph.paramTable().entrySet()) {
			INDArray a = p.getValue();
			double scale = p.getKey().endsWith("_b") ? 1.0 : 2 * Math.sqrt(3.0 / (a.length() / a.size(0)));
			a.assign(Nd4j.rand(DataType.FLOAT, a.shape()).subi(0.5).muli(scale));
		}
	}

	/** {max |ORT - DL4J|, max |DL4J|} on a random input. */
	static double[] compare(ComputationGraph graph, byte[] onnx, int batch, int channels, int h, int w) throws Exception {
		INDArray x = Nd4j.rand(DataType.FLOAT, batch, channels, h, w);
		float[] expected = graph.outputSingle(false, x).dup('c').data().asFloat();
		float[] actual = runInOnnxRuntime(onnx, x.dup('c').data().asFloat(), batch, channels, h, w);
		assertEquals(expected.length, actual.length);
		double max = 0, scale = 0;
		for (int i = 0; i < expected.length; i++) {
			max = Math.max(max, Math.abs(expected[i] - actual[i]));
			scale = Math.max(scale, Math.abs(expected[i]));
		}
		return new double[] { max, scale };
	}

	/** Through the product's own ONNX Runtime path (DJL), one batch. */
	static float[] runInOnnxRuntime(byte[] onnx, float[] input, int batch, int channels, int h, int w) throws Exception {
		int per = channels * h * w;
		List<FloatImage> tiles = new java.util.ArrayList<>();
		for (int i = 0; i < batch; i++)
			tiles.add(new FloatImage(channels, h, w, java.util.Arrays.copyOfRange(input, i * per, (i + 1) * per)));
		try (OnnxNetwork network = new OnnxNetwork(onnx, 1)) {
			List<FloatImage> out = network.run(tiles);
			int outPer = out.get(0).data().length;
			float[] all = new float[batch * outPer];
			for (int i = 0; i < batch; i++) System.arraycopy(out.get(i).data(), 0, all, i * outPer, outPer);
			return all;
		}
	}

	private static void assertDims(ValueInfoProto v, String name, Object... dims) {
		assertEquals(name, v.getName());
		List<Dimension> actual = v.getType().getTensorType().getShape().getDimList();
		assertEquals(dims.length, actual.size());
		for (int i = 0; i < dims.length; i++) {
			if (dims[i] instanceof Long l) assertEquals(l, actual.get(i).getDimValue(), name + " dim " + i);
			else assertEquals(dims[i], actual.get(i).getDimParam(), name + " dim " + i);
		}
	}
}
