package io.github.imagify.data;

import io.github.imagify.image.FloatVolume;
import io.github.imagify.image.Normalization;

/**
 * One training Z-stack, the 3D counterpart of {@link TrainingImage}: the clean volume (for self-supervised training,
 * the noisy target), its degraded partner (pairs mode, Noise2Void, Noise2Noise; null when degradations are synthetic),
 * the value span that 0..255 strengths refer to, the normalisation range measured over the whole (degraded) volume,
 * the clean truth validation compares with (self-supervised training with {@code clean}; else null), and the voxel
 * size its file recorded.
 */
public record TrainingVolume(String name, FloatVolume clean, FloatVolume degraded, double dataRange, Normalization.Range range,
		FloatVolume reference, VoxelSize voxelSize) {

	public TrainingVolume {
		if (degraded != null && !degraded.sameShape(clean))
			throw new IllegalArgumentException("Degraded and clean volumes of '" + name + "' differ in size: " + degraded + " vs " + clean);
		if (!(dataRange > 0)) throw new IllegalArgumentException("Volume '" + name + "' has no intensity range (flat stack?)");
		if (reference != null && !reference.sameShape(clean))
			throw new IllegalArgumentException("The clean reference of '" + name + "' differs in size from it: " + reference + " vs " + clean);
	}

	public int depth() { return clean.depth(); }
	public int height() { return clean.height(); }
	public int width() { return clean.width(); }
}
