package io.github.imagify.degrade;

import java.util.Random;

import io.github.imagify.image.FloatVolume;

/**
 * A per-pixel 2D degradation ({@link GaussianNoise}, {@link PoissonNoise}) applied to every voxel of a volume: the
 * volume's array read as a stack of planes ({@link FloatVolume#asPlanes()}) is degraded in one call, so one noise
 * level is drawn per volume patch, as one is drawn per 2D patch.
 */
public final class VoxelNoise implements VolumeDegradation {

	private final Degradation noise;

	public VoxelNoise(Degradation noise) {
		if (noise.margin() != 0)
			throw new IllegalArgumentException(noise + " looks at neighbouring pixels; only per-pixel noise applies voxel by voxel");
		this.noise = noise;
	}

	@Override
	public FloatVolume apply(FloatVolume clean, double dataRange, Random rng) {
		return FloatVolume.ofPlanes(noise.apply(clean.asPlanes(), dataRange, rng), clean.depth());
	}

	@Override public int marginXY() { return 0; }
	@Override public int marginZ() { return 0; }

	@Override
	public String toString() {
		return noise.toString();
	}
}
