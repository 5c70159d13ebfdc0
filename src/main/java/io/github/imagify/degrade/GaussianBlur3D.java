package io.github.imagify.degrade;

import java.util.Random;

import io.github.imagify.image.FloatVolume;

/**
 * Separable 3D Gaussian blur, a stand-in for a microscope's point spread function, which is longer along the optical
 * axis than across it: a sigma in XY (pixels) and its own sigma in Z ({@code blur_sigma_z}, in planes). Each call
 * draws one uniform number and takes both sigmas at that point of their ranges, so a range scales the whole PSF
 * (defocus, a thicker sample) and keeps its axial-to-lateral ratio. The XY pass is {@link GaussianBlur#blur} on every
 * plane; the Z pass uses the same kernel and the same mirrored border (reflect-101), so sigma_z = 0 is exactly the 2D
 * blur of each plane.
 */
public final class GaussianBlur3D implements VolumeDegradation {

	private final double sigmaMin, sigmaMax, sigmaZMin, sigmaZMax;

	/** Sigmas in XY pixels and in Z planes, each a range [min, max] (min == max: fixed). */
	public GaussianBlur3D(double sigmaMin, double sigmaMax, double sigmaZMin, double sigmaZMax) {
		Args.checkRange("blur_sigma", sigmaMin, sigmaMax);
		Args.checkRange("blur_sigma_z", sigmaZMin, sigmaZMax);
		this.sigmaMin = sigmaMin;
		this.sigmaMax = sigmaMax;
		this.sigmaZMin = sigmaZMin;
		this.sigmaZMax = sigmaZMax;
	}

	@Override
	public FloatVolume apply(FloatVolume clean, double dataRange, Random rng) {
		double u = sigmaMin == sigmaMax && sigmaZMin == sigmaZMax ? 0 : rng.nextDouble();
		return blur(clean, sigmaMin + u * (sigmaMax - sigmaMin), sigmaZMin + u * (sigmaZMax - sigmaZMin));
	}

	@Override public int marginXY() { return (int) Math.ceil(3 * sigmaMax); }
	@Override public int marginZ() { return (int) Math.ceil(3 * sigmaZMax); }

	/** A blurred copy of {@code in}: {@code sigma} in XY pixels, {@code sigmaZ} in planes; 0 leaves that axis alone. */
	public static FloatVolume blur(FloatVolume in, double sigma, double sigmaZ) {
		if (!(sigmaZ >= 0) || Double.isInfinite(sigmaZ))
			throw new IllegalArgumentException("blur_sigma_z must be a finite number >= 0, got " + sigmaZ);
		FloatVolume xy = FloatVolume.ofPlanes(GaussianBlur.blur(in.asPlanes(), sigma), in.depth());
		return sigmaZ == 0 ? xy : blurZ(xy, sigmaZ);
	}

	private static FloatVolume blurZ(FloatVolume in, double sigmaZ) {
		double[] k = GaussianBlur.kernel(sigmaZ);
		int r = k.length / 2, d = in.depth(), plane = in.planeSize();
		FloatVolume out = new FloatVolume(in.channels(), d, in.height(), in.width());
		float[] src = in.data(), dst = out.data();
		double[] sum = new double[plane];
		for (int c = 0; c < in.channels(); c++)
			for (int z = 0; z < d; z++) {
				java.util.Arrays.fill(sum, 0);
				for (int i = 0; i < k.length; i++) {
					int from = (c * d + GaussianBlur.reflect101(z + i - r, d)) * plane;
					for (int p = 0; p < plane; p++) sum[p] += k[i] * src[from + p];
				}
				int to = (c * d + z) * plane;
				for (int p = 0; p < plane; p++) dst[to + p] = (float) sum[p];
			}
		return out;
	}

	@Override
	public String toString() {
		return "gaussian_blur sigma " + Args.range(sigmaMin, sigmaMax) + " px, sigma_z " + Args.range(sigmaZMin, sigmaZMax) + " planes";
	}
}
