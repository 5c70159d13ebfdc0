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
import io.github.imagify.data.VolumePatchSampler;
import io.github.imagify.image.FloatImage;
import io.github.imagify.image.FloatVolume;

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

	/**
	 * A 3D batch (NCDHW, each voxel holding its own index) is sub-sampled in X and Y only: the sub-volumes keep every
	 * plane at half the height and width, each of their voxels comes from its own example, channel, plane and 2x2 cell,
	 * the two take different, touching voxels, every channel takes the same ones, and the planes are drawn on their own.
	 */
	@Test
	void volumesAreSubsampledPlaneByPlaneInXAndY() {
		int n = 2, c = 2, d = 3, h = 6, w = 8, h2 = h / 2, w2 = w / 2;
		float[] batch = new float[n * c * d * h * w];
		for (int i = 0; i < batch.length; i++) batch[i] = i;
		Random rng = new Random(4);
		boolean planesDrawnApart = false;
		for (int draw = 0; draw < 10; draw++) {
			NeighbourSubsampler.Draw drawn = NeighbourSubsampler.Draw.random(n, d, h, w, rng);
			float[] first = drawn.first(batch, c), second = drawn.second(batch, c);
			assertEquals(n * c * d * h2 * w2, first.length);
			int o = 0;
			for (int e = 0; e < n; e++)
				for (int ch = 0; ch < c; ch++)
					for (int z = 0; z < d; z++)
						for (int y = 0; y < h2; y++)
							for (int x = 0; x < w2; x++, o++) {
								int a = (int) first[o], b = (int) second[o], plane = ((e * c + ch) * d + z) * h * w;
								String where = "example " + e + ", channel " + ch + ", plane " + z + ", cell " + y + "," + x;
								assertTrue(a >= plane && a < plane + h * w && b >= plane && b < plane + h * w, "another example, channel or plane: " + where);
								int ya = (a - plane) / w, xa = (a - plane) % w, yb = (b - plane) / w, xb = (b - plane) % w;
								assertTrue(ya / 2 == y && xa / 2 == x && yb / 2 == y && xb / 2 == x, "outside its cell: " + where);
								assertEquals(1, Math.abs(ya - yb) + Math.abs(xa - xb), "not two touching voxels: " + where);
								int channelStride = d * h * w, cellInChannel0 = o - ch * d * h2 * w2;
								assertEquals(first[cellInChannel0] + ch * channelStride, first[o], "channels took different voxels: " + where);
								assertEquals(second[cellInChannel0] + ch * channelStride, second[o], "channels took different voxels: " + where);
								if (z > 0 && first[o] - h * w != first[o - h2 * w2]) planesDrawnApart = true;
							}
		}
		assertTrue(planesDrawnApart, "every plane took the same voxels");
	}

	/**
	 * 3D validation pairs: the noisy patch's first sub-volume is the input, the second the target, every plane kept at
	 * half the height and width; a 2D draw does not take a volume.
	 */
	@Test
	void validationPairsOfVolumesAreTheTwoSubVolumes() {
		int d = 4, h = 6, w = 8;
		float[] values = new float[d * h * w];
		for (int i = 0; i < values.length; i++) values[i] = i;
		FloatVolume noisy = new FloatVolume(1, d, h, w, values);
		VolumePatchSampler.Pair pair = NeighbourSubsampler.SUB_VOLUME_PAIRS.prepare(new VolumePatchSampler.Pair(noisy, noisy), new Random(1));
		NeighbourSubsampler.Draw drawn = NeighbourSubsampler.Draw.random(1, d, h, w, new Random(1));
		assertEquals(new FloatVolume(1, d, h / 2, w / 2, drawn.first(values, 1)), pair.input());
		assertEquals(new FloatVolume(1, d, h / 2, w / 2, drawn.second(values, 1)), pair.target());
		assertEquals(null, pair.lossWeights());
		assertThrows(IllegalArgumentException.class, () -> NeighbourSubsampler.Draw.random(1, h, w, new Random(1)).first(noisy));
	}
}
