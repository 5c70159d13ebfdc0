package io.github.imagify.data;

import io.github.imagify.image.FloatImage;
import io.github.imagify.image.Normalization;

/**
 * One training plane: the clean image, its degraded partner in pairs mode (null when degradations are
 * synthetic), the value span that 0..255 noise levels refer to, and the normalisation range that
 * patches from it get (measured on the degraded version, as restoring measures on the degraded input); for a model
 * told the luminance, the clean luminance plane that is degraded with each patch and given beside it (else null).
 * <p>
 * Self-supervised training has no clean image: {@code clean} is the target, a noisy image itself (the plane for
 * Noise2Void, the same as {@code degraded}; the second acquisition for Noise2Noise), and {@code reference}, when the
 * user gives it, the clean truth that validation measures a PSNR against (else null).
 */
public record TrainingImage(String name, FloatImage clean, FloatImage degraded, double dataRange, Normalization.Range range,
		FloatImage guide, FloatImage reference) {

	public TrainingImage(String name, FloatImage clean, FloatImage degraded, double dataRange, Normalization.Range range) {
		this(name, clean, degraded, dataRange, range, null, null);
	}

	public TrainingImage(String name, FloatImage clean, FloatImage degraded, double dataRange, Normalization.Range range, FloatImage guide) {
		this(name, clean, degraded, dataRange, range, guide, null);
	}

	public TrainingImage {
		if (degraded != null && !degraded.sameShape(clean))
			throw new IllegalArgumentException("Degraded and clean images of '" + name + "' differ in size: " + degraded + " vs " + clean);
		if (!(dataRange > 0)) throw new IllegalArgumentException("Image '" + name + "' has no intensity range (flat image?)");
		if (guide != null && (degraded != null || !guide.sameShape(clean)))
			throw new IllegalArgumentException("The luminance of '" + name + "' must match its plane, and needs a synthetic degradation");
		if (reference != null && !reference.sameShape(clean))
			throw new IllegalArgumentException("The clean reference of '" + name + "' differs in size from it: " + reference + " vs " + clean);
	}

	public int height() { return clean.height(); }
	public int width() { return clean.width(); }
}
