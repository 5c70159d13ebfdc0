package io.github.imagify.neighbour;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.imagify.data.PatchSampler;
import io.github.imagify.image.FloatImage;

class NeighbourSubsamplerTest {

	/** Each pixel holds 10000 * channel + 100 * y + x, so a sub-image pixel says where it came from. */
	private static FloatImage coded(int channels, int h, int w) {
		FloatImage image = new FloatImage(channels, h, w);
		for (int c = 0; c < channels; c++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) image.set(c, y, x, c * 10_000 + y * 100 + x);
		return image;
	}

	/**
	 * In every 2x2 cell the two sub-images take two different pixels that share a side, of that cell, the same ones in
	 * every channel; over many draws all 8 ordered pairs of touching pixels occur.
	 */
	@Test
	void subImagesTakeTwoTouchingPixelsOfEachCell() {
		FloatImage image = coded(2, 6, 8);
		Set<String> seen = new HashSet<>();
		Random rng = new Random(3);
		for (int draw = 0; draw < 40; draw++) {
			NeighbourSubsampler.Draw d = NeighbourSubsampler.Draw.random(1, 6, 8, rng);
			FloatImage a = d.first(image), b = d.second(image);
			assertEquals(3, a.height());
			assertEquals(4, a.width());
			for (int y = 0; y < 3; y++)
				for (int x = 0; x < 4; x++) {
					int ya = (int) a.get(0, y, x) / 100, xa = (int) a.get(0, y, x) % 100, yb = (int) b.get(0, y, x) / 100, xb = (int) b.get(0, y, x) % 100;
					assertTrue(ya / 2 == y && xa / 2 == x && yb / 2 == y && xb / 2 == x, "outside cell " + y + "," + x);
					assertEquals(1, Math.abs(ya - yb) + Math.abs(xa - xb), "not touching: " + ya + "," + xa + " / " + yb + "," + xb);
					assertEquals(a.get(0, y, x) + 10_000, a.get(1, y, x)); // the same pixel in the other channel
					assertEquals(b.get(0, y, x) + 10_000, b.get(1, y, x));
					seen.add((ya % 2) + "" + (xa % 2) + ">" + (yb % 2) + (xb % 2));
				}
		}
		assertEquals(8, seen.size(), seen.toString());
	}

	/** A batch's draw treats each example on its own, and the same seed draws the same sub-images. */
	@Test
	void batchesAreSubsampledPerExampleAndReproducibly() {
		int n = 3, c = 1, h = 4, w = 4;
		float[] batch = new float[n * c * h * w];
		for (int i = 0; i < batch.length; i++) batch[i] = i;
		NeighbourSubsampler.Draw d1 = NeighbourSubsampler.Draw.random(n, h, w, new Random(9)), d2 = NeighbourSubsampler.Draw.random(n, h, w, new Random(9));
		float[] first = d1.first(batch, c);
		assertArrayEquals(first, d2.first(batch, c));
		assertEquals(n * 4, first.length);
		for (int e = 0; e < n; e++)
			for (int k = 0; k < 4; k++) assertEquals(e, (int) first[e * 4 + k] / 16, "example " + e + " took another example's pixel");
		assertNotEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(NeighbourSubsampler.Draw.random(n, h, w, new Random(10)).first(batch, c)));
	}

	/** Validation pairs: the first sub-image is the input, the second the target, both from the noisy patch. */
	@Test
	void validationPairsAreTheTwoSubImages() {
		FloatImage noisy = coded(1, 4, 6);
		PatchSampler.Pair pair = NeighbourSubsampler.SUB_IMAGE_PAIRS.prepare(new PatchSampler.Pair(noisy, noisy), new Random(1));
		NeighbourSubsampler.Draw d = NeighbourSubsampler.Draw.random(1, 4, 6, new Random(1));
		assertArrayEquals(d.first(noisy).data(), pair.input().data());
		assertArrayEquals(d.second(noisy).data(), pair.target().data());
		assertEquals(null, pair.lossWeights());
		assertThrows(IllegalArgumentException.class, () -> NeighbourSubsampler.Draw.random(1, 5, 6, new Random(1)));
	}
}
