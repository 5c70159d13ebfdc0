package io.github.imagify.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.Convolution3DLayer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.Deconvolution2DLayer;
import org.deeplearning4j.nn.layers.convolution.Deconvolution3DLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.Subsampling3DLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Switches on DL4J's oneDNN layer helpers, which Deeplearning4j 1.0.0-M2.1 disables twice; with them,
 * U-Net training on the CPU is ~9x faster (measured in DESIGN.md). The three conditions:
 * <ol>
 * <li>the system property {@value #DISABLE_HELPERS} must be {@code false}: DL4J defaults it to
 * {@code true}, and then creates no layer helper at all ({@link #enable()} sets it);</li>
 * <li>DL4J must find {@code org.nd4j.nativeblas.Nd4jCpu$Environment}, which M2.1 renamed: the shim class
 * of that name in this project's sources answers DL4J's question with {@link #usable()};</li>
 * <li>the loaded nd4j-native natives must contain oneDNN: the {@code linux-x86_64-onednn} classifier,
 * not the plain {@code linux-x86_64} one. Without oneDNN, DL4J's helpers would call libnd4j's generic
 * native convolution, measured 3x SLOWER than DL4J's own path, so {@link #usable()} says no then.</li>
 * </ol>
 * Any of these failing only makes training slower, never wrong, so {@link #check} reports instead of throwing.
 * <p>
 * A 3D U-Net's layers (Convolution3D, Subsampling3DLayer, Deconvolution3D) have no DL4J helper at all in M2.1
 * (Convolution3DLayer's {@code initializeHelper} is empty, the other two have none): they call libnd4j's
 * {@code conv3dnew}, {@code maxpool3dnew} and {@code deconv3d} ops directly, and libnd4j runs those, forward and
 * backward, through its own oneDNN implementations whenever the natives have oneDNN and it is switched on
 * ({@link #usable()}; {@code DNNL_VERBOSE=1} shows convolution, deconvolution and pooling_v2 primitives for them).
 * Only the third condition matters for them.
 */
public final class OneDnn {

	/** Read by DL4J's HelperUtils each time a layer is constructed; default "true" = no helpers. */
	static final String DISABLE_HELPERS = "org.eclipse.deeplearning4j.helpers.disable";

	/** Whether the loaded libnd4j was built with oneDNN; null until first asked (it loads the natives). */
	private static volatile Boolean nativesHaveOneDnn;

	/**
	 * How many of a graph's convolution and pooling layers use oneDNN.
	 *
	 * @param layers the layers that can: 2D convolutions and poolings through a DL4J helper (Deconvolution2D has none in
	 *               M2.1, so it is not counted), 3D convolutions, poolings and deconvolutions through libnd4j's own ops
	 * @param withHelper those that do: 2D layers that got their helper, 3D layers when the natives have oneDNN
	 * @param reason why none does; empty when some do
	 */
	public record Status(int layers, int withHelper, String reason) {

		public boolean active() {
			return withHelper > 0;
		}

		/** One line for the training log. */
		@Override
		public String toString() {
			return active() ? String.format("oneDNN active: %d of %d convolution/pooling layers use it", withHelper, layers)
				: "oneDNN not active: training runs ~9x slower (" + reason + ")";
		}
	}

	private OneDnn() {}

	/**
	 * Lets DL4J create oneDNN helpers for the networks built or loaded after this call, unless the user set
	 * {@value #DISABLE_HELPERS} explicitly (e.g. {@code -D...=true} to rule the helpers out). Idempotent.
	 */
	public static void enable() {
		if (System.getProperty(DISABLE_HELPERS) == null)
			System.setProperty(DISABLE_HELPERS, "false");
	}

	/**
	 * DL4J's question "may layers use oneDNN?", asked through the shim {@code org.nd4j.nativeblas.Nd4jCpu}
	 * each time a layer is constructed: the natives have oneDNN and libnd4j has not switched it off.
	 */
	public static boolean usable() {
		return nativesHaveOneDnn() && Nd4jCpu.Environment.getInstance().isUseONEDNN();
	}

	private static boolean nativesHaveOneDnn() {
		if (nativesHaveOneDnn == null) {
			Nd4j.getExecutioner(); // loads the backend and its natives
			nativesHaveOneDnn = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN");
		}
		return nativesHaveOneDnn;
	}

	/** Counts the helpers of an initialised graph. Never throws: a broken setup reads as "not active". */
	public static Status check(ComputationGraph graph) {
		try {
			int layers = 0, withHelper = 0, helperLayers = 0;
			for (Layer layer : graph.getLayers()) {
				boolean volume = layer instanceof Convolution3DLayer || layer instanceof Subsampling3DLayer || layer instanceof Deconvolution3DLayer;
				boolean canHaveHelper = !volume && (layer instanceof SubsamplingLayer
					|| layer instanceof ConvolutionLayer && !(layer instanceof Deconvolution2DLayer));
				if (canHaveHelper) {
					layers++;
					helperLayers++;
					if (layer.getHelper() != null)
						withHelper++;
				} else if (volume) {
					layers++;
					if (usable())
						withHelper++;
				}
			}
			return new Status(layers, withHelper, withHelper > 0 ? "" : reason(layers, helperLayers > 0));
		} catch (RuntimeException | LinkageError e) { // LinkageError: natives or a DL4J class missing
			return new Status(0, 0, "the check failed: " + e);
		}
	}

	/** The first of the three conditions of the class comment that does not hold (3D layers need only the third). */
	private static String reason(int layers, boolean helpers) {
		if (layers == 0)
			return "the network has no convolution or pooling layer";
		if (helpers && !"false".equalsIgnoreCase(System.getProperty(DISABLE_HELPERS, "true")))
			return DISABLE_HELPERS + " is not false when the network was built: call OneDnn.enable() first";
		if (!nativesHaveOneDnn())
			return "the loaded nd4j-native natives have no oneDNN (ND4J publishes oneDNN builds for x86-64 Linux, Windows and macOS"
					+ " only; on other CPUs, e.g. Apple Silicon, training takes the slower generic path)";
		if (!Nd4jCpu.Environment.getInstance().isUseONEDNN())
			return "oneDNN is switched off in libnd4j (Nd4jCpu.Environment.setUseONEDNN(false))";
		if (helpers && !BaseMKLDNNHelper.mklDnnEnabled())
			return "DL4J cannot find the org.nd4j.nativeblas.Nd4jCpu shim (missing, or hidden from its class loader)";
		return "DL4J created no helper (was the network built before OneDnn.enable()?)";
	}
}
