package io.github.imagify.image;

/**
 * Augmentations of a volume that keep its statistics: the eight symmetries of the XY grid ({@link Symmetries}, applied
 * to every plane alike) and a mirror in Z. Z is never swapped with X or Y, since voxels are seldom cubes.
 */
public final class VolumeSymmetries {

	private VolumeSymmetries() {}

	/** {@code in} with every plane turned by {@code quarterTurns} x 90 degrees after mirroring it left-right if asked, then its planes reversed if asked. */
	public static FloatVolume apply(FloatVolume in, int quarterTurns, boolean flipX, boolean flipZ) {
		FloatVolume out = FloatVolume.ofPlanes(Symmetries.apply(in.asPlanes(), quarterTurns, flipX), in.depth());
		return flipZ ? flipZ(out) : out;
	}

	/** A copy with the planes of each channel in reverse order. */
	public static FloatVolume flipZ(FloatVolume in) {
		int d = in.depth(), plane = in.planeSize();
		float[] src = in.data(), dst = new float[src.length];
		for (int c = 0; c < in.channels(); c++)
			for (int z = 0; z < d; z++)
				System.arraycopy(src, (c * d + z) * plane, dst, (c * d + d - 1 - z) * plane, plane);
		return new FloatVolume(in.channels(), d, in.height(), in.width(), dst);
	}
}
