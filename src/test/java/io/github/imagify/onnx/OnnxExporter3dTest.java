package io.github.imagify.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.imagify.image.Normalization;
import io.github.imagify.model.UNet;
import io.github.imagify.model.UNetSpec;
import io.github.imagify.modelfile.ModelFile;
import io.github.imagify.modelfile.ModelInfo;
import io.github.imagify.modelfile.OnnxGraphCheck;
import io.github.imagify.ort.OnnxNetwork;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorShapeProto.Dimension;

/**
 * A 3D U-Net's export: ONNX Runtime computes what DL4J computes on volumes whose depth, height and width differ (every
 * weight and bias random, so a wrong weight layout, e.g. Deconvolution3D's, or a wrong Z kernel shows), the graph passes
 * the model-file check, and its weights go back into a DL4J graph.
 */
class OnnxExporter3dTest {

	private static final double TOLERANCE = 1e-4;

	@TempDir
	Path dir;

	@Test
	void onnxRuntimeMatchesDl4jOnVolumes() throws Exception {
		record Case(UNetSpec spec, int depth) {}
		UNetSpec plane = new UNetSpec(1, 2, 4, 0.1, true, 1.0);
		List<Case> cases = List.of(new Case(plane.withDims(3, true), 8), new Case(plane.withDims(3, false), 6),
			new Case(new UNetSpec(2, 1, 4, 0.0, false, 0.5, null, 1).withTopSkip(false).withDims(3, true), 4));
		StringBuilder report = new StringBuilder();
		for (Case c : cases) {
			ComputationGraph graph = UNet.build(c.spec(), 16, c.spec().sizeMultipleZ(), 1e-3, 5);
			OnnxExporterTest.randomise(graph, 5);
			byte[] onnx = OnnxExporter.export(graph, "test");
			for (int batch = 1; batch <= 2; batch++) {
				double[] d = compare(graph, onnx, new long[] { batch, c.spec().channels(), c.depth(), 16, 24 });
				report.append(String.format("3D depth %d, pool_z %b, channels %d, residual %b, top skip %b, batch %d, D=%d H=16 W=24: max |ORT - DL4J| = %.3g (max |DL4J| = %.3g)%n",
					c.spec().depth(), c.spec().poolZ(), c.spec().channels(), c.spec().residual(), c.spec().topSkip(), batch, c.depth(), d[0], d[1]));
				assertTrue(d[0] <= TOLERANCE, c + " batch " + batch + ": " + d[0]);
			}
		}
		System.out.print(report);
	}

	@Test
	void graphDeclaresVolumesAnd3dKernels() throws Exception {
		ComputationGraph graph = UNet.build(new UNetSpec(1, 2, 4, 0.1, true, 1.0).withDims(3, false), 16, 4, 1e-3, 1);
		ModelProto model = ModelProto.parseFrom(OnnxExporter.export(graph, "t"));
		assertDims(model.getGraph().getInput(0).getType().getTensorType().getShape().getDimList(), "batch", 1L, "depth", "height", "width");
		assertDims(model.getGraph().getOutput(0).getType().getTensorType().getShape().getDimList(), "batch", 1L, "depth", "height", "width");
		assertArrayEquals(new long[] { 1, 2, 2 }, ints(node(model, "enc0_pool"), "kernel_shape"));
		assertArrayEquals(new long[] { 1, 2, 2 }, ints(node(model, "dec1_up"), "strides"));
		assertArrayEquals(new long[] { 3, 3, 3 }, ints(node(model, "enc0_conv1"), "kernel_shape"));
		assertArrayEquals(new long[] { 1, 1, 1, 1, 1, 1 }, ints(node(model, "enc0_conv1"), "pads"));
		// ConvTranspose weights in ONNX's [nIn, nOut, kD, kH, kW]: dec1_up takes the bottleneck's 16 channels to 8
		assertEquals(List.of(16L, 8L, 1L, 2L, 2L), model.getGraph().getInitializerList().stream()
			.filter(t -> t.getName().equals("dec1_up.W")).findFirst().orElseThrow().getDimsList());
	}

	/** The exported 3D model as a model file: written, read back, checked, and run from its checked graph. */
	@Test
	void modelFileRoundTripPassesTheGraphCheck() throws Exception {
		UNetSpec spec = new UNetSpec(1, 2, 4, 0.1, true, 1.0).withDims(3, true);
		ComputationGraph graph = UNet.build(spec, 16, 4, 1e-3, 7);
		OnnxExporterTest.randomise(graph, 7);
		ModelInfo info = new ModelInfo("stack", "a 3D test model", 1, spec.sizeMultiple(), spec.receptiveFieldRadius(), new Normalization(2, 99),
			Map.of("type", "gaussian_noise"), spec.toMap(), Map.of("epochs", 0));
		Path file = dir.resolve("stack.zip");
		new ModelFile(info, OnnxExporter.export(graph, "test")).write(file);
		ModelFile back = ModelFile.read(file);
		assertEquals(3, back.info().dims());
		assertEquals(spec, UNetSpec.fromMap(back.info().network()));
		byte[] checked = OnnxGraphCheck.check(back.onnx(), back.info());
		double[] d = compare(graph, checked, new long[] { 1, 1, 8, 16, 24 });
		assertTrue(d[0] <= TOLERANCE, "checked graph: " + d[0]);

		// the rank follows imagify.json: the same graph is refused as a 2D model, a 2D graph as a 3D one
		ModelInfo as2d = new ModelInfo("stack", "", 1, 4, 22, new Normalization(2, 99), Map.of(), new UNetSpec(1, 2, 4, 0.1, true, 1.0).toMap(), Map.of());
		assertRefused(() -> OnnxGraphCheck.check(back.onnx(), as2d), "input has rank 5 (4 is expected");
		byte[] plane = OnnxExporter.export(UNet.build(new UNetSpec(1, 2, 4, 0.1, true, 1.0), 16, 1e-3, 1), "t");
		assertRefused(() -> OnnxGraphCheck.check(plane, back.info()), "input has rank 4 (5 is expected: batch, channels, depth, height, width");
	}

	/** A 3D node with 2D attributes (or the reverse) is refused, as every other attribute the exporter does not write. */
	@Test
	void graphCheckRefusesAttributesOfTheOtherRank() throws Exception {
		UNetSpec spec = new UNetSpec(1, 1, 4, 0.0, true, 1.0).withDims(3, true);
		ModelInfo info = new ModelInfo("stack", "", 1, 2, spec.receptiveFieldRadius(), new Normalization(2, 99), Map.of(), spec.toMap(), Map.of());
		byte[] onnx = OnnxExporter.export(UNet.build(spec, 16, 2, 1e-3, 1), "t");
		OnnxGraphCheck.check(onnx, info);
		ModelProto.Builder m = ModelProto.parseFrom(onnx).toBuilder();
		for (NodeProto.Builder n : m.getGraphBuilder().getNodeBuilderList())
			if (n.getName().equals("enc0_pool")) n.setAttribute(0, AttributeProto.newBuilder().setName("kernel_shape").setType(AttributeProto.AttributeType.INTS).addInts(2).addInts(2));
		assertRefused(() -> OnnxGraphCheck.check(m.build().toByteArray(), info), "needs 3 values in 'kernel_shape'");
	}

	@Test
	void weightsGoBackIntoTheNetwork() throws Exception {
		UNetSpec spec = new UNetSpec(1, 2, 4, 0.1, true, 1.0).withDims(3, true).withRefineConvs(1);
		ComputationGraph trained = UNet.build(spec, 16, 4, 1e-3, 1);
		OnnxExporterTest.randomise(trained, 1);
		ComputationGraph fresh = UNet.build(spec, 16, 4, 1e-3, 2);
		OnnxWeights.copyInto(OnnxExporter.export(trained, "t"), fresh);
		assertEquals(trained.params(), fresh.params());

		// a refinement convolution the model lacks starts as the identity, so the network starts as the model
		ComputationGraph refined = UNet.build(spec.withRefineConvs(2), 16, 4, 1e-3, 3);
		OnnxWeights.copyInto(OnnxExporter.export(trained, "t"), refined, false, true);
		INDArray x = Nd4j.rand(DataType.FLOAT, 1, 1, 4, 16, 16);
		assertTrue(trained.outputSingle(false, x).sub(refined.outputSingle(false, x)).amaxNumber().doubleValue() < 1e-5);
	}

	/** {max |ORT - DL4J|, max |DL4J|} on a random input of {@code shape}. */
	private static double[] compare(ComputationGraph graph, byte[] onnx, long[] shape) throws IOException {
		INDArray x = Nd4j.rand(DataType.FLOAT, shape);
		float[] expected = graph.outputSingle(false, x).dup('c').data().asFloat();
		OnnxNetwork.Batch actual;
		try (OnnxNetwork network = new OnnxNetwork(onnx, 1)) {
			actual = network.run(new OnnxNetwork.Batch(x.dup('c').data().asFloat(), shape));
		}
		assertArrayEquals(graph.outputSingle(false, x).shape(), actual.shape());
		double max = 0, scale = 0;
		for (int i = 0; i < expected.length; i++) {
			max = Math.max(max, Math.abs(expected[i] - actual.values()[i]));
			scale = Math.max(scale, Math.abs(expected[i]));
		}
		return new double[] { max, scale };
	}

	private static NodeProto node(ModelProto model, String name) {
		return model.getGraph().getNodeList().stream().filter(n -> n.getName().equals(name)).findFirst().orElseThrow();
	}

	private static long[] ints(NodeProto node, String attribute) {
		return node.getAttributeList().stream().filter(a -> a.getName().equals(attribute)).findFirst().orElseThrow()
			.getIntsList().stream().mapToLong(Long::longValue).toArray();
	}

	private static void assertDims(List<Dimension> actual, Object... dims) {
		assertEquals(dims.length, actual.size());
		for (int i = 0; i < dims.length; i++) {
			if (dims[i] instanceof Long l) assertEquals(l, actual.get(i).getDimValue(), "dim " + i);
			else assertEquals(dims[i], actual.get(i).getDimParam(), "dim " + i);
		}
	}

	private static void assertRefused(org.junit.jupiter.api.function.Executable e, String part) {
		IOException x = assertThrows(IOException.class, e);
		assertTrue(x.getMessage().contains(part), x.getMessage());
	}
}
