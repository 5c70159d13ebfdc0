package io.github.imagify.degrade;

import java.util.Random;

import io.github.imagify.image.FloatImage;

/**
 * The Gaussian blur (and light noise) of a {@link DegradationSpec} for training a model that is told the blur
 * (non-blind, {@code blur_known=true}): {@link #draw} draws a blur sigma from the spec's range, degrades with it and
 * says which it was, so the patch sampler can hand that value to the network beside the image. As a plain
 * {@link Degradation} it degrades the same way and forgets the sigma.
 */
public final class KnownBlur implements Degradation {

	/** A degraded image and the blur sigma, in pixels, it was made with. */
	public record Drawn(FloatImage degraded, double blurSigma) {}

	private final DegradationSpec spec;
	private final int margin;

	public KnownBlur(DegradationSpec spec) {
		if (!DegradationSpec.GAUSSIAN_BLUR.equals(spec.type()))
			throw new IllegalArgumentException("blur_known=true needs degradation='" + DegradationSpec.GAUSSIAN_BLUR + "' (the model is told the blur sigma), got '"
					+ spec.type() + "'");
		this.spec = spec;
		this.margin = spec.toDegradation().margin(); // also checks the values
	}

	public Drawn draw(FloatImage clean, double dataRange, Random rng) {
		double sigma = Args.draw(spec.blurSigmaMin(), spec.blurSigmaMax(), rng);
		return new Drawn(spec.withBlurSigma(sigma).toDegradation().apply(clean, dataRange, rng), sigma);
	}

	@Override
	public FloatImage apply(FloatImage clean, double dataRange, Random rng) {
		return draw(clean, dataRange, rng).degraded();
	}

	@Override
	public int margin() {
		return margin;
	}

	@Override
	public String toString() {
		return "known " + spec.toDegradation();
	}
}
