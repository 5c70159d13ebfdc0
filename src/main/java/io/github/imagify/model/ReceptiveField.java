package io.github.imagify.model;

/**
 * Back-propagates a 1D interval of output positions through the U-Net's layers to the interval of input
 * positions it depends on. Exact for this architecture, because every layer is translation-equivariant
 * with a known footprint; the U-Net is separable in x and y, so one axis suffices.
 * <p>
 * Intervals are {@code {lo, hi}} (inclusive) in the pixel coordinates of the level they live on
 * (level l has 2^l input pixels per pixel). Along an axis that is not pooled (Z of a 3D U-Net without Z pooling),
 * pooling and up-sampling keep positions as they are and only the convolutions widen the interval.
 */
final class ReceptiveField {

	private final int depth;
	private final int refineConvs;
	private final boolean blurPool;
	private final boolean pooled;

	/** @param pooled whether the axis is pooled at all (a 3D network without pool_z leaves Z alone) */
	ReceptiveField(int depth, int refineConvs, boolean blurPool, boolean pooled) {
		this.depth = depth;
		this.refineConvs = refineConvs;
		this.blurPool = blurPool;
		this.pooled = pooled;
	}

	/** Input interval that output pixel {@code y} depends on. */
	long[] ofOutput(long y) {
		long[] at = { y, y }; // the 1x1 head and the residual subtraction see only position y
		return union(decoder(0, widen(at, refineConvs)), at); // the refinement convs come after decoder level 0
	}

	/** Output of decoder level {@code level}'s last conv, to input. */
	private long[] decoder(int level, long[] out) {
		long[] concat = widen(out, 2); // two 3x3 convs
		long[] skip = encoder(level, concat);
		long[] up = pooled ? new long[] { Math.floorDiv(concat[0], 2), Math.floorDiv(concat[1], 2) } : concat; // 2x2 stride-2 deconv
		long[] deep = level + 1 == depth ? bottleneck(up) : decoder(level + 1, up);
		return union(skip, deep);
	}

	/** Output of the bottleneck's last conv, to input. */
	private long[] bottleneck(long[] out) {
		return encoder(depth - 1, pool(widen(out, 2)));
	}

	/** Output of encoder level {@code level}'s last conv (the skip), to input. */
	private long[] encoder(int level, long[] out) {
		long[] in = widen(out, 2);
		return level == 0 ? in : encoder(level - 1, pool(in));
	}

	private static long[] widen(long[] i, int by) {
		return new long[] { i[0] - by, i[1] + by };
	}

	/**
	 * 2x2 stride-2 max-pool: pooled pixel p reads 2p and 2p+1 (p itself along an axis that is not pooled). Blur pool:
	 * the stride-2 3x3 blur reads max-pooled 2p..2p+2 (padded after, not before), each the max of two neighbours, so 2p..2p+3.
	 */
	private long[] pool(long[] i) {
		if (!pooled) return i;
		return new long[] { 2 * i[0], 2 * i[1] + (blurPool ? 3 : 1) };
	}

	private static long[] union(long[] a, long[] b) {
		return new long[] { Math.min(a[0], b[0]), Math.max(a[1], b[1]) };
	}
}
