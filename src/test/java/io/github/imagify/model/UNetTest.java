package io.github.imagify.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The DL4J graph built from a spec: shapes, parameter count, residual wiring, training, receptive field. */
class UNetTest {

	@Test
	void outputHasInputShapeForAnyMultipleAndParametersMatchTheSpec() {
		for (int depth = 1; depth <= 3; depth++)
			checkShapesAndParameters(new UNetSpec(2, depth, 4, 0.1, true, 1.0));
		checkShapesAndParameters(new UNetSpec(2, 2, 4, 0.1, true, 1.0).withRefineConvs(3));
		checkShapesAndParameters(new UNetSpec(2, 2, 4, 0.1, true, 1.0).withTopSkip(false));
		for (int depth = 1; depth <= 3; depth++) // the blur's stride-2 Same padding depends on the size: any multiple must work
			checkShapesAndParameters(new UNetSpec(2, depth, 4, 0.1, true, 1.0).withBlurPool(true));
	}

	/**
	 * N2V2's max blur pool: each pooling is a stride-1 max-pool then a fixed binomial blur with stride 2, padded after
	 * as TensorFlow's "same" (checked on a ramp through the DL4J layers themselves), with 9 fixed weights per channel.
	 */
	@Test
	void blurPoolIsAStrideOneMaxThenTheBinomialBlur() {
		UNetSpec spec = new UNetSpec(1, 2, 4, 0, true, 1.0).withBlurPool(true);
		ComputationGraph graph = UNet.build(spec, 16, 1e-3, 1);
		Map<String, ?> vertices = graph.getConfiguration().getVertices();
		assertTrue(vertices.containsKey("enc0_pool") && vertices.containsKey("enc0_blur") && vertices.containsKey("enc1_blur"), vertices.keySet().toString());
		assertEquals(java.util.List.of("enc1_blur"), graph.getConfiguration().getVertexInputs().get("bottleneck_conv1"));
		assertEquals(spec.withBlurPool(false).parameterCount() + 9L * (4 + 8), spec.parameterCount(), "a 3x3 kernel per channel of both levels");
		INDArray w = graph.getLayer("enc1_blur").getParam("W"); // [kH, kW, channels, 1]
		assertArrayEquals(new long[] { 3, 3, 8, 1 }, w.shape());
		for (int c = 0; c < 8; c++)
			for (int y = 0; y < 3; y++)
				for (int x = 0; x < 3; x++)
					assertEquals(new int[] { 1, 2, 1 }[y] * new int[] { 1, 2, 1 }[x] / 16.0, w.getDouble(y, x, c, 0), 0.0);
		// a rising ramp f[r][c] = c + 10 r + 1 in channel 1 through enc0's pool and blur: max-pooled m[r][c] = f[r+1][c+1]
		// (the last row and column: their own f, the pad after adding nothing); blurred pixel (p, q) reads m[2p..2p+2][2q..2q+2]
		INDArray features = Nd4j.zeros(DataType.FLOAT, 1, 4, 8, 8);
		for (int r = 0; r < 8; r++)
			for (int c = 0; c < 8; c++)
				features.putScalar(new long[] { 0, 1, r, c }, c + 10 * r + 1);
		INDArray pooled = graph.getLayer("enc0_pool").activate(features, false, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
		INDArray blurred = graph.getLayer("enc0_blur").activate(pooled, false, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
		assertArrayEquals(new long[] { 1, 4, 4, 4 }, blurred.shape());
		// inside, the blur of a ramp is its centre value: m[2p+1][2q+1] = f[2p+2][2q+2] (a pad before would give f[2p+1][2q+1])
		assertEquals(2 + 10 * 2 + 1, blurred.getDouble(0, 1, 0, 0), 1e-5);
		assertEquals(4 + 10 * 6 + 1, blurred.getDouble(0, 1, 2, 1), 1e-5);
		// the last column reads max-pooled columns 6 and 7 (both f's column 7) with weights 1/4 and 2/4, then the zero pad
		assertEquals(3 / 4.0 * (7 + 10 * 2 + 1), blurred.getDouble(0, 1, 0, 3), 1e-5);
		assertEquals(0, blurred.getDouble(0, 0, 1, 1), 0.0, "channels are blurred alone");
	}

	/**
	 * The blur's kernel never trains, and the gradient flows through it: without the top skip, depth 1, the encoder's
	 * convolutions reach the output only through the blur pool, and they learn.
	 */
	@Test
	void blurKernelStaysFixedWhileTheEncoderLearnsThroughIt() {
		UNetSpec spec = new UNetSpec(1, 1, 4, 0, true, 1.0).withTopSkip(false).withBlurPool(true);
		ComputationGraph graph = UNet.build(spec, 16, 1e-2, 3);
		INDArray blur = graph.getLayer("enc0_blur").getParam("W").dup(), encoder = graph.getLayer("enc0_conv1").getParam("W").dup();
		Nd4j.getRandom().setSeed(3);
		INDArray clean = Nd4j.rand(DataType.FLOAT, 4, 1, 16, 16);
		DataSet batch = new DataSet(clean.add(Nd4j.randn(DataType.FLOAT, 4, 1, 16, 16).muli(0.2)), clean);
		double before = graph.score(batch);
		for (int i = 0; i < 10; i++) graph.fit(batch);
		assertTrue(graph.score(batch) < before, "the loss falls");
		assertEquals(blur, graph.getLayer("enc0_blur").getParam("W"), "the blur is fixed");
		double moved = graph.getLayer("enc0_conv1").getParam("W").sub(encoder).amaxNumber().doubleValue();
		assertTrue(moved > 1e-4, "the encoder's first convolution learns through the blur pool: moved " + moved);
	}

	/** N2V2's U-Net: the top decoder level has no concatenation and reads the upsampled features alone; the deeper ones keep theirs. */
	@Test
	void withoutTheTopSkipTheTopLevelReadsOnlyTheUpsampledFeatures() {
		UNetSpec spec = new UNetSpec(1, 2, 4, 0, true, 1.0).withTopSkip(false);
		ComputationGraph graph = UNet.build(spec, 16, 1e-3, 1);
		Map<String, ?> vertices = graph.getConfiguration().getVertices();
		assertTrue(!vertices.containsKey("dec0_concat") && vertices.containsKey("dec1_concat"), vertices.keySet().toString());
		assertEquals(java.util.List.of("dec0_up"), graph.getConfiguration().getVertexInputs().get("dec0_conv1"));
		assertEquals(4, graph.getLayer("dec0_conv1").getParam("W").size(1));
		assertEquals(spec.parameterCount() + 9L * 4 * 4, new UNetSpec(1, 2, 4, 0, true, 1.0).parameterCount(), "the skip's 4 channels into 4 filters, 3x3");
	}

	private static void checkShapesAndParameters(UNetSpec spec) {
		ComputationGraph graph = UNet.build(spec, 32, 1e-3, 42);
		assertEquals(spec.parameterCount(), graph.numParams());
		for (long[] shape : new long[][] { { 1, 2, 32, 32 }, { 2, 2, 64, 48 } }) {
			INDArray out = graph.outputSingle(false, Nd4j.rand(DataType.FLOAT, shape));
			assertArrayEquals(shape, out.shape());
		}
	}

	/**
	 * Told the blur, the net reads one more input channel and restores the image channels only: it starts as the
	 * identity on them (zero head), whatever the condition holds, and its parameters are still the spec's count.
	 */
	@Test
	void toldNetworkReadsTheConditionAndReturnsTheImageChannels() {
		for (int channels : new int[] { 1, 3 }) {
			UNetSpec spec = new UNetSpec(channels, 2, 4, 0, true, 1.0, UNetSpec.BLUR_SIGMA);
			ComputationGraph graph = UNet.build(spec, 16, 1e-3, 4);
			assertEquals(spec.parameterCount(), graph.numParams());
			assertEquals(channels + 1, graph.getLayer(UNet.FIRST_CONV).getParam("W").size(1));
			INDArray x = Nd4j.rand(DataType.FLOAT, 2, channels + 1, 32, 48);
			INDArray out = graph.outputSingle(false, x);
			assertArrayEquals(new long[] { 2, channels, 32, 48 }, out.shape());
			assertEquals(x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, channels), NDArrayIndex.all(), NDArrayIndex.all()), out);
		}
	}

	@Test
	void readableVertexNames() {
		ComputationGraph graph = UNet.build(new UNetSpec(1, 2, 4, 0.1, true, 1.0), 16, 1e-3, 1);
		Map<String, ?> vertices = graph.getConfiguration().getVertices();
		for (String name : new String[] { "scaled", "enc0_conv1", "enc1_pool", "bottleneck_conv2", "bottleneck_dropout",
			"dec1_up", "dec0_concat", "dec0_conv2", "head", "residual", "output" })
			assertNotNull(vertices.get(name), name);
		Map<String, ?> plain = UNet.build(new UNetSpec(1, 1, 4, 0, false, 1.0), 16, 1e-3, 1).getConfiguration().getVertices();
		assertTrue(!plain.containsKey("bottleneck_dropout") && !plain.containsKey("residual"), plain.keySet().toString());
	}

	/**
	 * DL4J's Dropout takes the retain probability: dropout 0.25 must zero about a quarter of the bottleneck
	 * activations while training (and scale the rest by 1/0.75), not three quarters, and nothing at inference.
	 */
	@Test
	void dropoutDropsTheRequestedFraction() {
		ComputationGraph graph = UNet.build(new UNetSpec(1, 1, 4, 0.25, true, 1.0), 32, 1e-3, 9);
		INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 32, 32);
		// copies: DL4J may apply dropout in place on the layer's input
		float[] clean = graph.feedForward(x, false).get("bottleneck_dropout").dup('c').data().asFloat();
		float[] dropped = graph.feedForward(x, true).get("bottleneck_dropout").dup('c').data().asFloat();
		long alive = 0, zeroed = 0;
		for (int i = 0; i < clean.length; i++) {
			if (clean[i] <= 0) continue;
			alive++;
			if (dropped[i] == 0) zeroed++;
			else assertEquals(clean[i] / 0.75, dropped[i], 1e-4 * Math.abs(clean[i]) + 1e-6);
		}
		assertTrue(alive > 1000, "active units: " + alive);
		assertEquals(0.25, (double) zeroed / alive, 0.05);
	}

	@Test
	void residualWithZeroWeightsReturnsTheScaledInput() {
		ComputationGraph graph = UNet.build(new UNetSpec(3, 2, 4, 0.1, true, 0.5), 16, 1e-3, 7);
		graph.params().assign(0);
		INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 24, 40);
		INDArray y = graph.outputSingle(false, x);
		assertEquals(0, y.sub(x.mul(0.5)).amaxNumber().doubleValue(), 1e-7);
	}

	@Test
	void patchSizeMustBeAMultiple() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> UNet.build(new UNetSpec(1, 3, 4, 0.1, true, 1), 36, 1e-3, 1));
		assertTrue(e.getMessage().contains("patch_size"), e.getMessage());
	}

	@Test
	void adamStepsLowerTheLoss() {
		ComputationGraph graph = UNet.build(new UNetSpec(1, 1, 4, 0.1, true, 1.0), 16, 1e-2, 3);
		Nd4j.getRandom().setSeed(3);
		INDArray clean = Nd4j.rand(DataType.FLOAT, 4, 1, 16, 16);
		INDArray noisy = clean.add(Nd4j.randn(DataType.FLOAT, 4, 1, 16, 16).muli(0.2));
		DataSet batch = new DataSet(noisy, clean);
		double before = graph.score(batch);
		for (int i = 0; i < 30; i++) graph.fit(batch);
		double after = graph.score(batch);
		assertTrue(after < 0.8 * before, "MSE before " + before + ", after " + after);
	}

	/**
	 * The radius is exact: along a row, a large change of one input pixel reaches output pixels exactly
	 * {@code radius} away for some pooling phase, and never further.
	 */
	@Test
	void receptiveFieldRadiusIsExact() {
		for (int depth = 1; depth <= 2; depth++)
			checkReceptiveField(new UNetSpec(1, depth, 4, 0, false, 1.0));
		checkReceptiveField(new UNetSpec(1, 1, 4, 0, false, 1.0).withRefineConvs(2)); // each refinement conv adds one pixel
		for (int depth = 1; depth <= 2; depth++) // a blur pool reads two more pixels per level, after
			checkReceptiveField(new UNetSpec(1, depth, 4, 0, false, 1.0).withBlurPool(true));
	}

	private static void checkReceptiveField(UNetSpec spec) {
		ComputationGraph graph = UNet.build(spec, 32, 1e-3, 11);
		Nd4j.getRandom().setSeed(11);
		for (Map.Entry<String, INDArray> p : graph.paramTable().entrySet()) // small positive biases keep ReLUs alive
			if (p.getKey().endsWith("_b")) p.getValue().assign(Nd4j.rand(DataType.FLOAT, p.getValue().shape()).muli(0.1));
		int size = 96, row = 48;
		INDArray x = Nd4j.rand(DataType.FLOAT, 1, 1, size, size);
		INDArray base = graph.outputSingle(false, x).dup();
		int reach = 0;
		for (int col = 44; col < 44 + spec.sizeMultiple(); col++) { // every pooling phase
			INDArray perturbed = x.dup();
			perturbed.putScalar(new long[] { 0, 0, row, col }, 50f);
			INDArray diff = graph.outputSingle(false, perturbed).sub(base);
			for (int c = 0; c < size; c++)
				if (Math.abs(diff.getDouble(0, 0, row, c)) > 1e-6) reach = Math.max(reach, Math.abs(c - col));
		}
		assertEquals(spec.receptiveFieldRadius(), reach, spec.toString());
	}
}
