package io.github.imagify.degrade;

import java.util.ArrayList;
import java.util.List;

/** The 3D degradation that a {@link DegradationSpec} and the Z-stack keys ({@code blur_sigma_z}) stand for. */
public final class VolumeDegradations {

	public static final String BLUR_SIGMA_Z = "blur_sigma_z";

	private VolumeDegradations() {}

	/**
	 * gaussian_noise and poisson_noise on every voxel; gaussian_blur in 3D with {@code blurSigmaZ} (planes: one number
	 * or a range "min-max", empty = 0, no blur across planes) and its optional light noise. downscale is refused: it
	 * would need a Z factor of its own.
	 */
	public static VolumeDegradation of(DegradationSpec spec, String blurSigmaZ) {
		spec.validate();
		double[] z = DegradationSpec.parseSigma(BLUR_SIGMA_Z, blurSigmaZ);
		boolean blur = DegradationSpec.GAUSSIAN_BLUR.equals(spec.type());
		if (!blur && z[1] > 0)
			throw new IllegalArgumentException(BLUR_SIGMA_Z + " applies to degradation='" + DegradationSpec.GAUSSIAN_BLUR + "' only; leave it empty for '" + spec.type() + "'");
		if (DegradationSpec.DOWNSCALE.equals(spec.type()))
			throw new IllegalArgumentException("degradation='" + DegradationSpec.DOWNSCALE + "' is not available for Z-stacks; use gaussian_blur (with " + BLUR_SIGMA_Z
					+ "), gaussian_noise or poisson_noise");
		if (!blur) return new VoxelNoise(spec.toDegradation());
		List<VolumeDegradation> steps = new ArrayList<>();
		steps.add(new GaussianBlur3D(spec.blurSigmaMin(), spec.blurSigmaMax(), z[0], z[1]));
		if (spec.noiseSigmaMax() > 0) steps.add(new VoxelNoise(new GaussianNoise(spec.noiseSigmaMin(), spec.noiseSigmaMax(), spec.noiseFavourLow())));
		return steps.size() == 1 ? steps.get(0) : new VolumeChain(steps);
	}
}
