package io.github.imagify.data;

import io.github.imagify.image.FloatImage;

/** The eight symmetries of a square patch: rotations by 90 degrees, optionally mirrored. */
final class Augment {

	private Augment() {}

	/** Rotates a square image by {@code quarterTurns} x 90 degrees, then mirrors it left-right if asked. */
	static FloatImage apply(FloatImage in, int quarterTurns, boolean flip) {
		int n = in.height();
		if (in.width() != n) throw new IllegalArgumentException("Augmentation needs square patches");
		FloatImage out = new FloatImage(in.channels(), n, n);
		for (int c = 0; c < in.channels(); c++)
			for (int y = 0; y < n; y++)
				for (int x = 0; x < n; x++) {
					int sy, sx;
					switch (quarterTurns & 3) {
						case 1 -> { sy = x; sx = n - 1 - y; }
						case 2 -> { sy = n - 1 - y; sx = n - 1 - x; }
						case 3 -> { sy = n - 1 - x; sx = y; }
						default -> { sy = y; sx = x; }
					}
					if (flip) sx = n - 1 - sx;
					out.set(c, y, x, in.get(c, sy, sx));
				}
		return out;
	}
}
