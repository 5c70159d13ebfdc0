package io.github.imagify.train;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a network learns to restore, the Train key {@code method}: from clean images and their degraded versions
 * ({@link #SUPERVISED}), or from noisy images alone: Noise2Void's blind spots on one noisy image of each scene
 * (Krull et al., CVPR 2019) or Noise2Noise's two independent noisy acquisitions of each scene (Lehtinen et al., ICML
 * 2018), or Neighbor2Neighbor's neighbouring pixels of one noisy image (Huang et al., CVPR 2021). Either way the
 * network is the same U-Net, restored as any other model.
 */
public enum TrainingMethod {

	SUPERVISED("supervised"), NOISE2VOID("noise2void"), NOISE2NOISE("noise2noise"), NEIGHBOR2NEIGHBOR("neighbor2neighbor");

	private final String key;

	TrainingMethod(String key) {
		this.key = key;
	}

	/** The value as the Train key and the model file's record write it. */
	public String key() {
		return key;
	}

	/** Whether the targets are noisy images, not clean ones. */
	public boolean selfSupervised() {
		return this != SUPERVISED;
	}

	/** The method a key's value names; empty is {@link #SUPERVISED}. */
	public static TrainingMethod of(String value) {
		String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
		if (v.isEmpty()) return SUPERVISED;
		for (TrainingMethod m : values())
			if (m.key.equals(v)) return m;
		throw new IllegalArgumentException("method must be one of " + String.join(", ", Arrays.stream(values()).map(TrainingMethod::key).toList())
				+ ", got '" + value + "'");
	}

	/**
	 * What the validation loss compares with, after its figures in the log: a PSNR against the clean targets, against the
	 * other noisy acquisition or a noisy neighbouring sub-image (which the noise in the target lowers), or no PSNR for Noise2Void's masked pixels against
	 * their own noisy values.
	 */
	public String describeValidation(double loss) {
		double psnr = 10 * Math.log10(1 / loss);
		return switch (this) {
			case SUPERVISED -> String.format("PSNR %.2f dB", psnr);
			case NOISE2NOISE -> String.format("PSNR %.2f dB against a noisy target", psnr);
			case NOISE2VOID -> "masked pixels against their noisy values";
			case NEIGHBOR2NEIGHBOR -> String.format("PSNR %.2f dB of sub-images against their noisy neighbours", psnr);
		};
	}
}
