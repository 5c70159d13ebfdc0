package io.github.imagify.image;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class TilingTest {

	@Test
	void reflectMirrorsWithoutRepeatingTheEdge() {
		int[] expected = { 2, 1, 0, 1, 2, 3, 2, 1, 0, 1 };
		for (int i = -2; i < 8; i++) assertEquals(expected[i + 2], Tiling.reflect(i, 4), "index " + i);
		assertEquals(0, Tiling.reflect(-5, 1));
		for (int i = -50; i < 50; i++) {
			int r = Tiling.reflect(i, 3);
			assertTrue(r >= 0 && r < 3);
		}
	}

	@Test
	void extractInsideIsACropAndOutsideIsMirrored() {
		FloatImage img = random(2, 5, 7, 1);
		assertEquals(img.crop(1, 2, 3, 4), Tiling.extract(img, 1, 2, 3, 4));
		FloatImage padded = Tiling.extract(img, -2, -3, 9, 13);
		assertEquals(img.get(1, 2, 3), padded.get(1, 0, 0)); // (-2,-3) reflects to (2,3)
		assertEquals(img.get(0, 4, 6), padded.get(0, 6, 9));
		assertEquals(img.get(0, 3, 5), padded.get(0, 7, 10)); // (5,7) reflects to (3,5)
	}

	@Test
	void planCoversTheImageOnceWithAlignedOrigins() {
		Tiling tiling = new Tiling(8, 20, 50, 1); // rounded up: context 24, core 56
		assertEquals(24, tiling.context());
		assertEquals(56, tiling.coreSize());
		int h = 130, w = 61;
		int[] covered = new int[h * w];
		for (Tiling.Tile t : tiling.plan(h, w)) {
			assertEquals(0, t.y() % 8);
			assertEquals(0, t.x() % 8);
			assertEquals(0, t.inputHeight() % 8);
			assertEquals(0, t.inputWidth() % 8);
			for (int y = t.y(); y < t.y() + t.coreHeight(); y++)
				for (int x = t.x(); x < t.x() + t.coreWidth(); x++) covered[y * w + x]++;
		}
		for (int c : covered) assertEquals(1, c);
	}

	/** A local operation with a known radius: tiling with that much context must reproduce the whole-image result exactly. */
	@Test
	void tiledBoxFilterEqualsWholeImage() throws Exception {
		FloatImage img = random(1, 45, 77, 2);
		int radius = 3;
		Tiling.TileFunction box = tiles -> {
			List<FloatImage> out = new ArrayList<>();
			for (FloatImage t : tiles) out.add(boxFilter(t, radius));
			return out;
		};
		FloatImage whole = boxFilter(Tiling.extract(img, -radius, -radius, 45 + 2 * radius, 77 + 2 * radius), radius)
				.crop(radius, radius, 45, 77);
		FloatImage tiled = new Tiling(4, radius, 16, 3).run(img, box, null);
		assertArrayEquals(whole.data(), tiled.data(), 1e-6f);
	}

	@Test
	void progressCanCancel() throws Exception {
		FloatImage img = random(1, 64, 64, 3);
		int[] calls = { 0 };
		FloatImage out = new Tiling(1, 0, 16, 1).run(img, tiles -> tiles, (done, total) -> ++calls[0] < 3);
		assertNull(out);
		assertEquals(3, calls[0]);
	}

	static FloatImage boxFilter(FloatImage in, int r) {
		FloatImage out = new FloatImage(in.channels(), in.height(), in.width());
		for (int c = 0; c < in.channels(); c++)
			for (int y = 0; y < in.height(); y++)
				for (int x = 0; x < in.width(); x++) {
					float s = 0;
					for (int dy = -r; dy <= r; dy++)
						for (int dx = -r; dx <= r; dx++) {
							int yy = y + dy, xx = x + dx;
							if (yy >= 0 && yy < in.height() && xx >= 0 && xx < in.width()) s += in.get(c, yy, xx);
						}
					out.set(c, y, x, s);
				}
		return out;
	}

	static FloatImage random(int c, int h, int w, long seed) {
		Random rng = new Random(seed);
		FloatImage img = new FloatImage(c, h, w);
		for (int i = 0; i < img.data().length; i++) img.data()[i] = rng.nextFloat();
		return img;
	}
}
