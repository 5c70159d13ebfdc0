package io.github.imagify.degrade;

import java.util.Random;

import io.github.imagify.image.FloatImage;

/**
 * Additive white Gaussian noise, the classic denoising benchmark degradation. Sigma is given on the 0..255
 * scale (as in the literature) and drawn per call from [sigmaMin, sigmaMax], which trains a blind denoiser:
 * uniformly, or favouring low sigmas (see {@link DegradationSpec#noiseFavourLow()}); it is scaled by
 * dataRange/255 so it means the same for any bit depth. Values are not clipped,
 * because clipping would bias the noise at dark and bright pixels and real float data is not clipped either.
 */
public final class GaussianNoise implements Degradation {

	private final double sigmaMin;
	private final double sigmaMax;
	private final boolean favourLow;

	public GaussianNoise(double sigmaMin, double sigmaMax, boolean favourLow) {
		Args.checkRange("noise_sigma", sigmaMin, sigmaMax);
		this.sigmaMin = sigmaMin;
		this.sigmaMax = sigmaMax;
		this.favourLow = favourLow;
	}

	public GaussianNoise(double sigmaMin, double sigmaMax) {
		this(sigmaMin, sigmaMax, false);
	}

	public GaussianNoise(double sigma) {
		this(sigma, sigma);
	}

	@Override
	public FloatImage apply(FloatImage clean, double dataRange, Random rng) {
		Args.checkDataRange(dataRange);
		double std = Args.draw(sigmaMin, sigmaMax, favourLow, rng) * dataRange / 255;
		FloatImage out = clean.copy();
		if (std == 0) return out;
		float[] d = out.data();
		for (int i = 0; i < d.length; i++) d[i] = (float) (d[i] + std * rng.nextGaussian());
		return out;
	}

	@Override
	public int margin() {
		return 0;
	}

	@Override
	public String toString() {
		return DegradationSpec.describeNoise(sigmaMin, sigmaMax, favourLow);
	}
}
