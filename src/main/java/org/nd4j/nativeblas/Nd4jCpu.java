package org.nd4j.nativeblas;

/**
 * WORKAROUND for a Deeplearning4j 1.0.0-M2.1 bug; not part of ND4J, delete it once DL4J is fixed.
 * <p>
 * {@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()} decides whether convolution
 * and pooling layers may use oneDNN by reflecting on {@code org.nd4j.nativeblas.Nd4jCpu$Environment}:
 * {@code getInstance()}, then {@code isUseMKLDNN()}. M2.1 moved that class to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and renamed the method
 * {@code isUseONEDNN()}, so the lookup always fails and every layer silently takes the ~9x slower
 * built-in path. This class, under the old name, answers instead; the answer and the rest of the fix are
 * in {@link io.github.imagify.train.OneDnn}.
 */
public final class Nd4jCpu {

	private Nd4jCpu() {}

	/** Only what BaseMKLDNNHelper reflects on: a public static {@code getInstance()} and {@code isUseMKLDNN()}. */
	public static final class Environment {

		private static final Environment INSTANCE = new Environment();

		private Environment() {}

		public static Environment getInstance() {
			return INSTANCE;
		}

		/** Whether layers may use oneDNN: the loaded natives have it and it is on (M2.1's isUseONEDNN()). */
		public boolean isUseMKLDNN() {
			return io.github.imagify.train.OneDnn.usable();
		}
	}
}
