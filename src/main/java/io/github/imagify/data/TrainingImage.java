package io.github.imagify.data;

import io.github.imagify.image.FloatImage;
import io.github.imagify.image.Normalization;

/**
 * One training plane: the clean image, its degraded partner in pairs mode (null when degradations are
 * synthetic), the value span that 0..255 noise levels refer to, and the normalisation range that
 * patches from it get (measured on the degraded version, as restoring measures on the degraded input); for a model
 * told the luminance, the clean luminance plane that is degraded with each patch and given beside it (else null).
 */
public record TrainingImage(String name, FloatImage clean, FloatImage degraded, double dataRange, Normalization.Range range,
		FloatImage guide) {

	public TrainingImage(String name, FloatImage clean, FloatImage degraded, double dataRange, Normalization.Range range) {
		this(name, clean, degraded, dataRange, range, null);
	}

	public TrainingImage {
		if (degraded != null && !degraded.sameShape(clean))
			throw new IllegalArgumentException("Degraded and clean images of '" + name + "' differ in size: " + degraded + " vs " + clean);
		if (!(dataRange > 0)) throw new IllegalArgumentException("Image '" + name + "' has no intensity range (flat image?)");
		if (guide != null && (degraded != null || !guide.sameShape(clean)))
			throw new IllegalArgumentException("The luminance of '" + name + "' must match its plane, and needs a synthetic degradation");
	}

	public int height() { return clean.height(); }
	public int width() { return clean.width(); }
}
