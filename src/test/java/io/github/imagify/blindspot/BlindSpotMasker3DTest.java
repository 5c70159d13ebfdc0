package io.github.imagify.blindspot;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.github.imagify.data.VolumePatchSampler;
import io.github.imagify.image.FloatVolume;

class BlindSpotMasker3DTest {

	static final int D = 16, H = 32, W = 40;

	/** A patch whose voxels hold their own index, so a replacement says where it came from. */
	static VolumePatchSampler.Pair indexPair() {
		FloatVolume v = new FloatVolume(1, D, H, W);
		for (int i = 0; i < v.data().length; i++) v.data()[i] = i;
		return new VolumePatchSampler.Pair(v, v.copy());
	}

	@Test
	void masksAboutTheFractionOnACubicGridWithWeightsThatAverageOverTheMaskedVoxels() {
		BlindSpotMasker3D masker = new BlindSpotMasker3D(BlindSpotMasking.DEFAULT);
		assertEquals(8, masker.gridSpacing(), "cbrt(1 / 0.002) = 7.9");
		VolumePatchSampler.Pair pair = indexPair();
		VolumePatchSampler.Pair masked = masker.prepare(pair, new Random(1));
		float[] in = pair.input().data(), out = masked.input().data(), weights = masked.lossWeights().data();
		int n = 0;
		double weightSum = 0;
		for (int i = 0; i < in.length; i++) {
			weightSum += weights[i];
			if (weights[i] == 0) {
				assertEquals(in[i], out[i], "an unscored voxel keeps its value");
				continue;
			}
			n++;
			int from = (int) out[i];
			assertNotEquals(i, from, "a masked voxel shows another voxel");
			int dz = from / (H * W) - i / (H * W), dy = from / W % H - i / W % H, dx = from % W - i % W;
			assertTrue(Math.abs(dz) <= 2 && Math.abs(dy) <= 2 && Math.abs(dx) <= 2, "replacement from the 5x5x5 neighbourhood: " + dz + "," + dy + "," + dx);
		}
		assertEquals(2 * 4 * 5, n, "one voxel per 8x8x8 cell of a 16x32x40 patch");
		assertEquals((double) D * H * W, weightSum, 1e-3, "weights = voxels / masked");
		assertEquals(pair.target(), masked.target());
		assertEquals(indexPair().input(), pair.input(), "the drawn pair is not changed");
	}

	@Test
	void theSameSeedMasksTheSameVoxelsAndAnotherSeedOthers() {
		BlindSpotMasker3D masker = new BlindSpotMasker3D(new BlindSpotMasking(0.01, 3, BlindSpotMasking.UNIFORM, BlindSpotMasking.NONE, 5));
		VolumePatchSampler.Pair a = masker.prepare(indexPair(), new Random(7)), b = masker.prepare(indexPair(), new Random(7));
		VolumePatchSampler.Pair c = masker.prepare(indexPair(), new Random(8));
		assertEquals(a.input(), b.input());
		assertEquals(a.lossWeights(), b.lossWeights());
		assertNotEquals(a.lossWeights(), c.lossWeights());
		// 0.01: cells of round(cbrt(100)) = 5; 16x32x40 cut into 4x7x8 cells, those cut by the border masked only when inside
		long masked = 0;
		for (float w : a.lossWeights().data()) if (w > 0) masked++;
		double fraction = (double) masked / (D * H * W);
		assertEquals(1.0 / 125, fraction, 0.0015);
	}

	@Test
	void n2v2TakesTheMedianOfTheNeighbourhoodWithoutTheCentre() {
		BlindSpotMasker3D median = new BlindSpotMasker3D(new BlindSpotMasking(0.1, 3, BlindSpotMasking.MEDIAN, BlindSpotMasking.NONE, 5));
		int n = 8;
		FloatVolume squares = new FloatVolume(1, n, n, n);
		for (int i = 0; i < squares.data().length; i++) squares.data()[i] = (float) i * i;
		VolumePatchSampler.Pair masked = median.prepare(new VolumePatchSampler.Pair(squares, squares.copy()), new Random(2));
		float[] out = masked.input().data(), weights = masked.lossWeights().data();
		int checked = 0;
		for (int i = 0; i < out.length; i++) {
			if (weights[i] == 0) continue;
			int z = i / (n * n), y = i / n % n, x = i % n;
			if (z == 0 || z == n - 1 || y == 0 || y == n - 1 || x == 0 || x == n - 1) continue;
			// the 26 neighbours' values, sorted, have (i-1)^2 and (i+1)^2 in the middle; with the centre it would be i^2
			assertEquals((float) i * i + 1, out[i], "voxel " + i);
			checked++;
		}
		assertTrue(checked > 10, checked + " interior voxels masked");
	}

	/**
	 * structN2V in 3D: the line in X through each masked voxel, within its own plane, is scrambled and not scored, and
	 * the median replacement leaves it out; every voxel that changes is masked or on such a line (no other plane's).
	 */
	@Test
	void theStructMaskHidesTheMaskedVoxelsLineInItsPlane() {
		BlindSpotMasking masking = new BlindSpotMasking(0.01, 3, BlindSpotMasking.MEDIAN, BlindSpotMasking.HORIZONTAL, 5);
		int d = 8, h = 16, w = 16;
		FloatVolume indexed = new FloatVolume(1, d, h, w);
		for (int i = 0; i < indexed.data().length; i++) indexed.data()[i] = i;
		VolumePatchSampler.Pair masked = new BlindSpotMasker3D(masking).prepare(new VolumePatchSampler.Pair(indexed, indexed.copy()), new Random(3));
		FloatVolume in = masked.input(), weights = masked.lossWeights();
		int scored = 0, medians = 0;
		for (int z = 0; z < d; z++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					if (weights.get(0, z, y, x) == 0) continue;
					scored++;
					boolean overwritten = false; // a neighbour's line may cross this voxel afterwards
					for (int k = -2; k <= 2; k++) overwritten |= k != 0 && x + k >= 0 && x + k < w && weights.get(0, z, y, x + k) > 0;
					if (!overwritten) {
						List<Float> window = new java.util.ArrayList<>();
						for (int dz = -1; dz <= 1; dz++)
							for (int dy = -1; dy <= 1; dy++)
								for (int dx = -1; dx <= 1; dx++)
									if (!(dz == 0 && dy == 0) && z + dz >= 0 && z + dz < d && y + dy >= 0 && y + dy < h && x + dx >= 0 && x + dx < w)
										window.add(indexed.get(0, z + dz, y + dy, x + dx));
						window.sort(null);
						int n = window.size();
						assertEquals(n % 2 == 1 ? window.get(n / 2) : (window.get(n / 2 - 1) + window.get(n / 2)) / 2, in.get(0, z, y, x), "the median off the line");
						medians++;
					}
					for (int k = -2; k <= 2; k++)
						if (k != 0 && x + k >= 0 && x + k < w && weights.get(0, z, y, x + k) == 0)
							assertNotEquals(indexed.get(0, z, y, x + k), in.get(0, z, y, x + k), "the line beside a masked voxel is replaced");
				}
		assertTrue(scored > 10 && medians > 5, scored + " masked, " + medians + " medians checked");
		for (int z = 0; z < d; z++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					if (in.get(0, z, y, x) == indexed.get(0, z, y, x)) continue;
					boolean explained = false;
					for (int k = -2; k <= 2; k++) explained |= x + k >= 0 && x + k < w && weights.get(0, z, y, x + k) > 0;
					assertTrue(explained, "voxel " + z + "," + y + "," + x + " changed off every masked voxel's line");
				}
	}
}
