package io.github.imagify.image;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class VolumeTilingTest {

	@Test
	void planCoversTheVolumeOnceWithOriginsAndSizesAlignedPerAxis() {
		VolumeTiling tiling = new VolumeTiling(new VolumeTiling.Axis(1, 3, 5), new VolumeTiling.Axis(4, 6, 10), 1); // XY rounded: context 8, core 12
		assertEquals(new VolumeTiling.Axis(1, 3, 5), tiling.z());
		assertEquals(new VolumeTiling.Axis(4, 8, 12), tiling.xy());
		int d = 11, h = 30, w = 25;
		int[] covered = new int[d * h * w];
		for (VolumeTiling.Tile t : tiling.plan(d, h, w)) {
			assertEquals(0, t.y() % 4);
			assertEquals(0, t.x() % 4);
			assertEquals(0, t.inputHeight() % 4);
			assertEquals(0, t.inputWidth() % 4);
			assertEquals(t.coreDepth() + 6, t.inputDepth());
			for (int z = t.z(); z < t.z() + t.coreDepth(); z++)
				for (int y = t.y(); y < t.y() + t.coreHeight(); y++)
					for (int x = t.x(); x < t.x() + t.coreWidth(); x++) covered[(z * h + y) * w + x]++;
		}
		for (int c : covered) assertEquals(1, c);
	}

	@Test
	void extractMirrorsInZYAndX() {
		FloatVolume v = random(2, 4, 5, 6, 1);
		FloatVolume padded = VolumeTiling.extract(v.planes(), -2, -1, 3, 9, 7, 5);
		assertEquals(v.get(1, 2, 1, 3), padded.get(1, 0, 0, 0)); // (-2,-1,3) reflects to (2,1,3)
		assertEquals(v.get(0, 0, 3, 3), padded.get(0, 8, 6, 4)); // (6,5,7) reflects to (0,3,3)
		assertEquals(v.get(0, 1, 2, 4), padded.get(0, 3, 3, 1)); // inside: (1,2,4)
	}

	/** A local operation with radii known per axis: tiled with that much context, it reproduces the whole volume's result. */
	@Test
	void tiledBoxFilterEqualsWholeVolumeWithItsOwnContextInZAndXY() throws Exception {
		int rz = 1, rxy = 3, d = 13, h = 21, w = 19;
		FloatVolume v = random(2, d, h, w, 2);
		VolumeTiling.TileFunction box = tiles -> {
			List<FloatVolume> out = new ArrayList<>();
			for (FloatVolume t : tiles) out.add(boxFilter(t, rz, rxy));
			return out;
		};
		FloatVolume whole = crop(boxFilter(VolumeTiling.extract(v.planes(), -rz, -rxy, -rxy, d + 2 * rz, h + 2 * rxy, w + 2 * rxy), rz, rxy), rz, rxy, d, h, w);
		VolumeTiling tiling = new VolumeTiling(new VolumeTiling.Axis(1, rz, 4), new VolumeTiling.Axis(2, rxy, 6), 3);
		assertTrue(tiling.plan(d, h, w).size() >= 4 * 4 * 4, "several tiles along every axis");
		FloatVolume tiled = tiling.run(v, box, null);
		assertArrayEquals(whole.data(), tiled.data(), 1e-5f);

		// a band of tile rows equals those rows of the whole result, its context read from the whole volume
		FloatVolume band = new FloatVolume(2, d, 6, w);
		assertTrue(tiling.run(v.planes(), 6, 12, box, band.planes(), null));
		assertArrayEquals(crop(whole, 0, 6, 0, d, 6, w).data(), band.data(), 1e-5f);
	}

	@Test
	void progressCanCancel() throws Exception {
		int[] calls = { 0 };
		VolumeTiling tiling = new VolumeTiling(new VolumeTiling.Axis(1, 0, 4), new VolumeTiling.Axis(1, 0, 4), 1);
		assertNull(tiling.run(random(1, 8, 8, 8, 3), tiles -> tiles, (done, total) -> ++calls[0] < 3));
		assertEquals(3, calls[0]);
	}

	static FloatVolume boxFilter(FloatVolume in, int rz, int rxy) {
		FloatVolume out = new FloatVolume(in.channels(), in.depth(), in.height(), in.width());
		for (int c = 0; c < in.channels(); c++)
			for (int z = 0; z < in.depth(); z++)
				for (int y = 0; y < in.height(); y++)
					for (int x = 0; x < in.width(); x++) {
						float s = 0;
						for (int dz = -rz; dz <= rz; dz++)
							for (int dy = -rxy; dy <= rxy; dy++)
								for (int dx = -rxy; dx <= rxy; dx++) {
									int zz = z + dz, yy = y + dy, xx = x + dx;
									if (zz >= 0 && zz < in.depth() && yy >= 0 && yy < in.height() && xx >= 0 && xx < in.width()) s += in.get(c, zz, yy, xx);
								}
						out.set(c, z, y, x, s);
					}
		return out;
	}

	static FloatVolume crop(FloatVolume in, int z0, int y0, int x0, int d, int h, int w) {
		FloatVolume out = new FloatVolume(in.channels(), d, h, w);
		for (int c = 0; c < in.channels(); c++)
			for (int z = 0; z < d; z++)
				for (int y = 0; y < h; y++)
					for (int x = 0; x < w; x++) out.set(c, z, y, x, in.get(c, z0 + z, y0 + y, x0 + x));
		return out;
	}

	static FloatVolume crop(FloatVolume in, int rz, int rxy, int d, int h, int w) {
		return crop(in, rz, rxy, rxy, d, h, w);
	}

	static FloatVolume random(int c, int d, int h, int w, long seed) {
		Random rng = new Random(seed);
		FloatVolume v = new FloatVolume(c, d, h, w);
		for (int i = 0; i < v.data().length; i++) v.data()[i] = rng.nextFloat();
		return v;
	}
}
