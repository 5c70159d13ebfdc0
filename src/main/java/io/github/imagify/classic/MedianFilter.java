package io.github.imagify.classic;

import java.util.Arrays;

import io.github.imagify.image.FloatImage;
import io.github.imagify.image.Tiling;

/** Median over a (2r+1) x (2r+1) square, channel by channel, with mirrored borders: the classic impulse/noise filter. */
public final class MedianFilter {

	private MedianFilter() {}

	public static FloatImage apply(FloatImage in, int radius) {
		if (radius < 1) throw new IllegalArgumentException("median radius must be at least 1, got " + radius);
		int h = in.height(), w = in.width(), side = 2 * radius + 1;
		FloatImage out = new FloatImage(in.channels(), h, w);
		float[] window = new float[side * side];
		for (int c = 0; c < in.channels(); c++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					int n = 0;
					for (int dy = -radius; dy <= radius; dy++)
						for (int dx = -radius; dx <= radius; dx++)
							window[n++] = in.get(c, Tiling.reflect(y + dy, h), Tiling.reflect(x + dx, w));
					Arrays.sort(window);
					out.set(c, y, x, window[window.length / 2]);
				}
		return out;
	}
}
