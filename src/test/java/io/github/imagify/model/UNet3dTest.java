package io.github.imagify.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The 3D U-Net (Z-stacks as volumes): its spec, its graph's shapes and parameters, training, its receptive field in Z,
 * and that on a single slice without Z pooling it computes exactly what the 2D U-Net computes, forward and backward.
 */
class UNet3dTest {

	private static final UNetSpec PLANE = new UNetSpec(1, 2, 4, 0.1, true, 1.0);

	@Test
	void specStoresDimsAndPoolZOnlyFor3d() {
		for (boolean poolZ : new boolean[] { true, false }) {
			UNetSpec volume = PLANE.withDims(3, poolZ);
			assertEquals(volume, UNetSpec.fromMap(volume.toMap()));
			assertEquals(3, volume.toMap().get(UNetSpec.DIMS));
			assertEquals(poolZ, volume.toMap().get(UNetSpec.POOL_Z));
			Map<String, Object> json = new HashMap<>(volume.toMap()); // as a JSON parser gives it back
			json.put(UNetSpec.DIMS, 3.0);
			json.put(UNetSpec.POOL_Z, Boolean.toString(poolZ));
			assertEquals(volume, UNetSpec.fromMap(json));
		}
		// 2D model files stay as they were: neither key, and a file without them reads as 2D
		assertFalse(PLANE.toMap().containsKey(UNetSpec.DIMS) || PLANE.toMap().containsKey(UNetSpec.POOL_Z), PLANE.toMap().toString());
		assertEquals(2, UNetSpec.fromMap(PLANE.toMap()).dims());

		Map<String, Object> noPoolZ = new HashMap<>(PLANE.withDims(3, true).toMap());
		noPoolZ.remove(UNetSpec.POOL_Z);
		assertMessage("pool_z", () -> UNetSpec.fromMap(noPoolZ)); // required for 3D: no silent default
		assertMessage("dims", () -> PLANE.withDims(4, false));
		assertMessage("pool_z", () -> PLANE.withDims(2, true));
		assertMessage("condition", () -> PLANE.withCondition(UNetSpec.BLUR_SIGMA).withDims(3, true));
	}

	@Test
	void sizeMultiplesAndReceptiveFieldInZ() {
		UNetSpec pooled = PLANE.withDims(3, true), flat = PLANE.withDims(3, false);
		assertEquals(4, pooled.sizeMultiple());
		assertEquals(4, pooled.sizeMultipleZ());
		assertEquals(4, flat.sizeMultiple());
		assertEquals(1, flat.sizeMultipleZ());
		assertEquals(1, PLANE.sizeMultipleZ());
		assertEquals(0, PLANE.receptiveFieldRadiusZ());
		assertEquals(PLANE.receptiveFieldRadius(), pooled.receptiveFieldRadius());
		assertEquals(pooled.receptiveFieldRadius(), pooled.receptiveFieldRadiusZ(), "pooled in Z, Z is like X and Y");
		// without Z pooling only the 3x3x3 convolutions widen Z, one slice each: 2 per encoder and decoder level, 2 in the bottleneck
		assertEquals(4 * 2 + 2, flat.receptiveFieldRadiusZ());
		assertEquals(4 * 2 + 2 + 3, flat.withRefineConvs(3).receptiveFieldRadiusZ());
	}

	@Test
	void graphHasThe2dNamesTheSpecsParametersAndKeepsTheShape() {
		for (boolean poolZ : new boolean[] { true, false }) {
			UNetSpec spec = PLANE.withDims(3, poolZ);
			ComputationGraph graph = UNet.build(spec, 16, 8, 1e-3, 1);
			assertEquals(spec.parameterCount(), graph.numParams());
			Map<String, ?> vertices = graph.getConfiguration().getVertices();
			for (String name : new String[] { "scaled", "enc0_conv1", "enc1_pool", "bottleneck_conv2", "bottleneck_dropout", "dec1_up", "dec0_concat",
				"dec0_conv2", "head", "residual", "output" })
				assertNotNull(vertices.get(name), name);
			int depth = poolZ ? 8 : 6; // without Z pooling, any number of slices
			INDArray out = graph.outputSingle(false, Nd4j.rand(DataType.FLOAT, 1, 1, depth, 16, 24));
			assertArrayEquals(new long[] { 1, 1, depth, 16, 24 }, out.shape());
		}
		UNetSpec withoutTopSkip = PLANE.withDims(3, true).withTopSkip(false).withRefineConvs(1);
		assertEquals(withoutTopSkip.parameterCount(), UNet.build(withoutTopSkip, 16, 8, 1e-3, 1).numParams());
	}

	@Test
	void patchDepthMustFitThePooling() {
		assertMessage("patch_planes", () -> UNet.build(PLANE.withDims(3, true), 16, 6, 1e-3, 1));
		assertMessage("patch_planes", () -> UNet.build(PLANE, 16, 8, 1e-3, 1));
		assertMessage("patch depth", () -> UNet.build(PLANE.withDims(3, false), 16, 1e-3, 1));
	}

	@Test
	void fitStepsChangeEveryWeightWithAFiniteLoss() {
		ComputationGraph graph = UNet.build(PLANE.withDims(3, true), 16, 8, 1e-3, 2);
		Nd4j.getRandom().setSeed(2);
		INDArray clean = Nd4j.rand(DataType.FLOAT, 2, 1, 8, 16, 16);
		DataSet batch = new DataSet(clean.add(Nd4j.randn(DataType.FLOAT, 2, 1, 8, 16, 16).muli(0.2)), clean);
		Map<String, INDArray> before = new HashMap<>();
		graph.paramTable().forEach((k, v) -> before.put(k, v.dup()));
		// the residual head starts at zero, so the first step moves only the head; the next ones reach every layer
		for (int i = 0; i < 3; i++) graph.fit(batch);
		double loss = graph.score(batch);
		assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
		graph.paramTable().forEach((k, v) -> assertTrue(v.sub(before.get(k)).amaxNumber().doubleValue() > 0, k + " did not change"));
	}

	/**
	 * On one slice, a 3x3x3 convolution with same padding sees only its kernel's middle slice, and 1x2x2 pooling and
	 * up-sampling are 2x2: the 3D U-Net without Z pooling is then the 2D U-Net with those weights. Its output, loss and
	 * every gradient (through the 3D concatenation's own backward pass too) must be the 2D network's.
	 */
	@Test
	void onOneSliceThe3dNetIsThe2dNetForwardAndBackward() {
		UNetSpec plane = new UNetSpec(1, 2, 4, 0, true, 1.0);
		ComputationGraph flat = UNet.build(plane, 16, 1e-3, 3), volume = UNet.build(plane.withDims(3, false), 16, 1, 1e-3, 3);
		Nd4j.getRandom().setSeed(3);
		for (Map.Entry<String, INDArray> p : volume.paramTable().entrySet()) {
			INDArray a = p.getValue();
			a.assign(Nd4j.rand(DataType.FLOAT, a.shape()).subi(0.5).muli(p.getKey().endsWith("_b") ? 0.2 : 2 * Math.sqrt(3.0 / (a.length() / a.size(0)))));
			flat.getParam(p.getKey()).assign(asPlane(p.getKey(), a));
		}
		INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 16, 24), y = Nd4j.rand(DataType.FLOAT, 2, 1, 16, 24);
		INDArray x3 = x.reshape(2, 1, 1, 16, 24), y3 = y.reshape(2, 1, 1, 16, 24);
		assertClose(flat.outputSingle(false, x), volume.outputSingle(false, x3).reshape(2, 1, 16, 24), "output");

		flat.setInputs(x);
		flat.setLabels(y);
		flat.computeGradientAndScore();
		volume.setInputs(x3);
		volume.setLabels(y3);
		volume.computeGradientAndScore();
		assertEquals(flat.score(), volume.score(), 1e-6 * flat.score(), "loss");
		for (String param : volume.paramTable().keySet()) {
			INDArray expected = flat.gradient().getGradientFor(param);
			assertTrue(expected.amaxNumber().doubleValue() > 0, param + ": no gradient reaches it");
			assertClose(expected, asPlane(param, volume.gradient().getGradientFor(param)), param + " gradient");
		}
	}

	/** A 3D parameter (or gradient) of the one-slice net as the 2D net's. */
	private static INDArray asPlane(String param, INDArray a) {
		if (param.endsWith("_b")) return a;
		if (param.startsWith("dec") && param.contains("_up_")) // Deconvolution3D [kD=1, kH, kW, nOut, nIn] -> Deconvolution2D [nIn, nOut, kH, kW]
			return a.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).permute(3, 2, 0, 1);
		long middle = a.size(2) / 2; // Convolution3D [nOut, nIn, kD, kH, kW]: the middle slice -> [nOut, nIn, kH, kW]
		return a.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(middle), NDArrayIndex.all(), NDArrayIndex.all());
	}

	/**
	 * The Z radius is exact: a large change of one voxel reaches output voxels exactly {@code receptiveFieldRadiusZ}
	 * slices away (for some pooling phase), and never further.
	 */
	@Test
	void receptiveFieldRadiusZIsExact() {
		checkReceptiveFieldZ(new UNetSpec(1, 1, 4, 0, false, 1.0).withDims(3, true));
		checkReceptiveFieldZ(new UNetSpec(1, 2, 4, 0, false, 1.0).withDims(3, false));
	}

	private static void checkReceptiveFieldZ(UNetSpec spec) {
		int slices = 32, size = 8, row = 4, col = 4;
		ComputationGraph graph = UNet.build(spec, size, spec.sizeMultipleZ(), 1e-3, 11);
		Nd4j.getRandom().setSeed(11);
		for (Map.Entry<String, INDArray> p : graph.paramTable().entrySet()) // small positive biases keep ReLUs alive
			if (p.getKey().endsWith("_b")) p.getValue().assign(Nd4j.rand(DataType.FLOAT, p.getValue().shape()).muli(0.1));
		INDArray x = Nd4j.rand(DataType.FLOAT, 1, 1, slices, size, size);
		INDArray base = graph.outputSingle(false, x).dup();
		int reach = 0;
		for (int z = 14; z < 14 + spec.sizeMultipleZ(); z++) { // every pooling phase
			INDArray perturbed = x.dup();
			perturbed.putScalar(new long[] { 0, 0, z, row, col }, 50f);
			INDArray diff = graph.outputSingle(false, perturbed).sub(base);
			for (int s = 0; s < slices; s++)
				if (Math.abs(diff.getDouble(0, 0, s, row, col)) > 1e-6) reach = Math.max(reach, Math.abs(s - z));
		}
		assertEquals(spec.receptiveFieldRadiusZ(), reach, spec.toString());
	}

	/** max |actual - expected| <= 1e-5 * max |expected| (float sums in another order). */
	private static void assertClose(INDArray expected, INDArray actual, String what) {
		assertArrayEquals(expected.shape(), actual.shape(), what);
		double scale = expected.amaxNumber().doubleValue(), error = expected.sub(actual).amaxNumber().doubleValue();
		assertTrue(error <= 1e-5 * scale, String.format("%s: max difference %.3g, max value %.3g", what, error, scale));
	}

	private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
		IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
		assertTrue(x.getMessage().contains(part), x.getMessage());
	}
}
