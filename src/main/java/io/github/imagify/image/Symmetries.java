package io.github.imagify.image;

/**
 * The eight symmetries of the pixel grid (rotations by 90 degrees, optionally mirrored), for rectangles too: a
 * quarter turn swaps height and width. Training augments patches with them; restoring can average a network's
 * output over them (self-ensemble), each output turned back with {@link #undo}.
 */
public final class Symmetries {

	/** All eight, as {@code index}: quarter turns in bits 0-1, mirror in bit 2. */
	public static final int COUNT = 8;

	private Symmetries() {}

	/** Rotates {@code in} by {@code quarterTurns} x 90 degrees after mirroring it left-right if asked. */
	public static FloatImage apply(FloatImage in, int quarterTurns, boolean flip) {
		boolean swap = (quarterTurns & 1) == 1;
		FloatImage out = swap ? new FloatImage(in.channels(), in.width(), in.height()) : new FloatImage(in.channels(), in.height(), in.width());
		map(in, out, quarterTurns, flip, false);
		return out;
	}

	/** The inverse of {@link #apply}: turns {@code transformed} back to the orientation of the image it came from. */
	public static FloatImage undo(FloatImage transformed, int quarterTurns, boolean flip) {
		boolean swap = (quarterTurns & 1) == 1;
		FloatImage out = swap ? new FloatImage(transformed.channels(), transformed.width(), transformed.height())
				: new FloatImage(transformed.channels(), transformed.height(), transformed.width());
		map(out, transformed, quarterTurns, flip, true);
		return out;
	}

	/** Symmetry {@code index} (0..7) of {@link #apply}; index 0 is the identity. */
	public static FloatImage apply(FloatImage in, int index) {
		return apply(in, index & 3, (index & 4) != 0);
	}

	/** The inverse of {@link #apply(FloatImage, int)}. */
	public static FloatImage undo(FloatImage transformed, int index) {
		return undo(transformed, index & 3, (index & 4) != 0);
	}

	/** One index mapping both ways: out(y, x) = in(sy, sx), gathered into {@code out} or scattered back into {@code in}. */
	private static void map(FloatImage in, FloatImage out, int quarterTurns, boolean flip, boolean back) {
		int h = in.height(), w = in.width();
		float[] src = in.data(), dst = out.data();
		for (int c = 0; c < in.channels(); c++) {
			int inBase = c * h * w, outBase = c * out.height() * out.width();
			for (int y = 0; y < out.height(); y++)
				for (int x = 0; x < out.width(); x++) {
					int sy, sx;
					switch (quarterTurns & 3) {
						case 1 -> { sy = x; sx = w - 1 - y; }
						case 2 -> { sy = h - 1 - y; sx = w - 1 - x; }
						case 3 -> { sy = h - 1 - x; sx = y; }
						default -> { sy = y; sx = x; }
					}
					if (flip) sx = w - 1 - sx;
					int i = inBase + sy * w + sx, o = outBase + y * out.width() + x;
					if (back) src[i] = dst[o];
					else dst[o] = src[i];
				}
		}
	}
}
