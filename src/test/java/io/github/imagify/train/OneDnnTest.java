package io.github.imagify.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import io.github.imagify.model.UNet;
import io.github.imagify.model.UNetSpec;

/**
 * The oneDNN workaround: helpers get created (shim + property + oneDNN natives), and the helper path
 * computes what DL4J's built-in path computes. DL4J reads {@link OneDnn#DISABLE_HELPERS} each time a layer
 * is constructed, so one JVM can build the same seeded net with and without helpers.
 */
class OneDnnTest {

	private static final UNetSpec SPEC = new UNetSpec(1, 2, 8, 0, true, 1.0);
	private static final int SIZE = 32;

	private String saved;

	@BeforeEach
	void saveProperty() {
		saved = System.getProperty(OneDnn.DISABLE_HELPERS);
		System.clearProperty(OneDnn.DISABLE_HELPERS);
	}

	@AfterEach
	void restoreProperty() {
		if (saved == null)
			System.clearProperty(OneDnn.DISABLE_HELPERS);
		else
			System.setProperty(OneDnn.DISABLE_HELPERS, saved);
	}

	@Test
	void enableRespectsAnExplicitUserChoice() {
		System.setProperty(OneDnn.DISABLE_HELPERS, "true");
		OneDnn.enable();
		assertEquals("true", System.getProperty(OneDnn.DISABLE_HELPERS));
		ComputationGraph graph = UNet.build(SPEC, SIZE, 1e-3, 1);
		OneDnn.Status status = OneDnn.check(graph);
		assertFalse(status.active(), status.toString());
		assertTrue(status.toString().startsWith("oneDNN not active: training runs ~9x slower"), status.toString());
		assertTrue(status.reason().contains(OneDnn.DISABLE_HELPERS), status.reason());
	}

	/**
	 * 3D layers have no DL4J helper: libnd4j runs their ops through oneDNN itself (DNNL_VERBOSE shows it), whatever
	 * the helper property says. They count as using oneDNN when the natives have it, which this build's do.
	 */
	@Test
	void threeDLayersUseOneDnnThroughLibnd4jWithoutHelpers() {
		System.setProperty(OneDnn.DISABLE_HELPERS, "true"); // no DL4J helper anywhere
		ComputationGraph graph = UNet.build(new UNetSpec(1, 1, 4, 0, true, 1.0).withDims(3, true), 8, 2, 1e-3, 1);
		OneDnn.Status status = OneDnn.check(graph);
		// 2 + 2 convolutions in encoder and decoder, 2 in the bottleneck, the 1x1x1 head, 1 pooling, 1 transposed convolution
		assertEquals(9, status.layers(), status.toString());
		assertTrue(OneDnn.usable(), "this build's natives have oneDNN");
		assertEquals(9, status.withHelper(), status.toString());
		assertTrue(status.active(), status.toString());
	}

	@Test
	void checkNeverThrows() {
		assertFalse(OneDnn.check(null).active());
	}

	@Test
	void helperPathComputesWhatTheBuiltInPathComputes() {
		OneDnn.enable();
		OneDnn.enable(); // idempotent
		assertEquals("false", System.getProperty(OneDnn.DISABLE_HELPERS));
		ComputationGraph fast = UNet.build(SPEC, SIZE, 1e-3, 1);
		OneDnn.Status status = OneDnn.check(fast);
		// 4 + 4 convolutions in encoder and decoder, 2 in the bottleneck, the 1x1 head, 2 poolings
		assertEquals(13, status.layers(), status.toString());
		assertEquals(13, status.withHelper(), status.toString());

		System.setProperty(OneDnn.DISABLE_HELPERS, "true");
		ComputationGraph slow = UNet.build(SPEC, SIZE, 1e-3, 1);
		assertEquals(0, OneDnn.check(slow).withHelper());
		assertEquals(slow.params(), fast.params(), "same seed, same initial weights");

		// The residual head starts at zero, which would stop every gradient upstream of it: give it weights.
		INDArray headW = randn(new Random(3), fast.getLayer("head").getParam("W").shape(), 0.1);
		fast.getLayer("head").setParam("W", headW);
		slow.getLayer("head").setParam("W", headW.dup());

		Random random = new Random(5);
		INDArray x = randn(random, new long[] { 4, 1, SIZE, SIZE }, 1);
		INDArray y = x.add(randn(random, x.shape(), 0.2));
		assertClose(slow.outputSingle(false, x), fast.outputSingle(false, x), 1e-5, "forward");

		for (ComputationGraph g : new ComputationGraph[] { slow, fast }) {
			g.setInputs(x);
			g.setLabels(y);
			g.computeGradientAndScore();
		}
		assertEquals(slow.score(), fast.score(), 1e-5 * slow.score(), "loss");
		for (String param : slow.paramTable().keySet()) {
			INDArray expected = slow.gradient().getGradientFor(param);
			assertTrue(expected.amaxNumber().doubleValue() > 0, param + ": no gradient reaches it, so nothing is compared");
			assertClose(expected, fast.gradient().getGradientFor(param), 1e-4, param + " gradient");
		}

		// A first Adam step moves every weight by ~ the learning rate (1e-3) times the sign of its gradient:
		// 1e-4 of the largest weight (~1) tells a step in the wrong direction, or none, from the same step.
		slow.fit(new DataSet(x, y));
		fast.fit(new DataSet(x, y));
		assertClose(slow.params(), fast.params(), 1e-4, "parameters after one fit step");
	}

	private static INDArray randn(Random random, long[] shape, double sigma) {
		float[] values = new float[(int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
		for (int i = 0; i < values.length; i++)
			values[i] = (float) (sigma * random.nextGaussian());
		return Nd4j.create(values, shape, 'c');
	}

	/** max |actual - expected| <= tolerance * max |expected|; measured differences are ~1e-6 of it. */
	private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
		double scale = expected.amaxNumber().doubleValue();
		double error = expected.sub(actual).amaxNumber().doubleValue();
		assertTrue(error <= tolerance * scale, String.format("%s: max difference %.3g, max value %.3g", what, error, scale));
	}
}
