package io.github.imagify.degrade;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;

import org.junit.jupiter.api.Test;

import io.github.imagify.image.FloatImage;
import io.github.imagify.image.FloatVolume;

class GaussianBlur3DTest {

	/** Planes that differ: random values, each plane with its own offset. */
	static FloatVolume volume(int depth, int height, int width, long seed) {
		Random rng = new Random(seed);
		FloatVolume v = new FloatVolume(1, depth, height, width);
		for (int i = 0; i < v.data().length; i++) v.data()[i] = (float) (rng.nextDouble() + 10 * (i / (height * width)));
		return v;
	}

	@Test
	void sigmaZZeroBlursEachPlaneExactlyLikeThe2DBlurAndLeavesZAlone() {
		FloatVolume v = volume(5, 17, 23, 1);
		FloatVolume out = GaussianBlur3D.blur(v, 1.7, 0);
		for (int z = 0; z < 5; z++) {
			float[] plane = java.util.Arrays.copyOfRange(v.data(), z * 17 * 23, (z + 1) * 17 * 23);
			FloatImage expected = GaussianBlur.blur(new FloatImage(1, 17, 23, plane), 1.7);
			assertArrayEquals(expected.data(), java.util.Arrays.copyOfRange(out.data(), z * 17 * 23, (z + 1) * 17 * 23), "plane " + z);
		}
		assertNotEquals(v, out, "XY is blurred");
	}

	@Test
	void sigmaZSpreadsAPlaneOverItsNeighboursWithTheGaussianKernelAndKeepsTheMean() {
		FloatVolume v = new FloatVolume(1, 11, 6, 7);
		java.util.Arrays.fill(v.data(), 5 * 42, 6 * 42, 1f); // plane 5 bright, the rest dark
		FloatVolume out = GaussianBlur3D.blur(v, 0, 1.2);
		double[] k = GaussianBlur.kernel(1.2); // radius 4, centre index 4
		for (int z = 0; z < 11; z++) {
			int offset = z - 5;
			double expected = Math.abs(offset) <= 4 ? k[4 + offset] : 0;
			for (int p = 0; p < 42; p++) assertEquals(expected, out.data()[z * 42 + p], 1e-6, "plane " + z);
		}
		double sum = 0;
		for (float f : out.data()) sum += f;
		assertEquals(42, sum, 1e-4, "the kernel sums to 1");
		// beyond the top and bottom the volume is mirrored without its edge plane (reflect-101, period 6 for 4 planes), as in XY
		FloatVolume top = new FloatVolume(1, 4, 1, 1, new float[] { 1, 0, 0, 0 });
		FloatVolume blurred = GaussianBlur3D.blur(top, 0, 1);
		double[] k1 = GaussianBlur.kernel(1); // radius 3
		assertEquals(k1[3], blurred.data()[0], 1e-6);
		assertEquals(k1[2], blurred.data()[1], 1e-6);
		assertEquals(2 * k1[0], blurred.data()[3], 1e-6, "plane 3 sees plane 0 at -3 and again at +3 (6 -> 0)");
	}

	@Test
	void aRangeDrawsBothSigmasAtOnePointAndTheMarginsCoverTheKernels() {
		GaussianBlur3D blur = new GaussianBlur3D(1, 2, 2, 4);
		assertEquals(6, blur.marginXY());
		assertEquals(12, blur.marginZ());
		FloatVolume v = volume(9, 12, 12, 2);
		Random a = new Random(5), b = new Random(5);
		double u = b.nextDouble();
		assertEquals(GaussianBlur3D.blur(v, 1 + u, 2 + 2 * u), blur.apply(v, 1, a));
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GaussianBlur3D(1, 1, -1, 2));
		assertTrue(e.getMessage().startsWith("blur_sigma_z must be >= 0"), e.getMessage());
	}

	@Test
	void theSpecsKeysMakeTheVolumeDegradation() {
		VolumeDegradation blurAndNoise = VolumeDegradations.of(DegradationSpec.of("gaussian_blur", "1", "3", 0, 2), "2.5");
		assertEquals("gaussian_blur sigma 1 px, sigma_z 2.5 planes + gaussian_noise sigma 3 (0..255 scale)", blurAndNoise.toString());
		assertEquals(8, blurAndNoise.marginZ());
		assertEquals("poisson_noise peak 30", VolumeDegradations.of(DegradationSpec.of("poisson_noise", "", "", 30, 2), "").toString());
		assertTrue(assertThrows(IllegalArgumentException.class, () -> VolumeDegradations.of(DegradationSpec.of("gaussian_noise", "", "25", 0, 2), "2"))
				.getMessage().startsWith("blur_sigma_z applies to degradation='gaussian_blur' only"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> VolumeDegradations.of(DegradationSpec.of("downscale", "", "", 0, 2), ""))
				.getMessage().contains("not available for Z-stacks"));
	}

	@Test
	void voxelNoiseAddsTheNoiseOfItsLevelToEveryVoxel() {
		FloatVolume flat = new FloatVolume(1, 8, 32, 32);
		java.util.Arrays.fill(flat.data(), 100f);
		FloatVolume gauss = new VoxelNoise(new GaussianNoise(25)).apply(flat, 255, new Random(1));
		FloatVolume poisson = new VoxelNoise(new PoissonNoise(20)).apply(flat, 200, new Random(1));
		// Gaussian: std 25 on the 0..255 scale; Poisson: 100 of 200 at peak 20 is 10 photons, so variance 10 x (200/20)^2 = 1000
		assertEquals(25, std(gauss), 0.5);
		assertEquals(Math.sqrt(1000), std(poisson), 0.8);
		assertEquals(100, mean(poisson), 1.5); // 4 standard errors of the mean
		assertEquals(100f, flat.data()[0], "the clean volume is not changed");
		assertThrows(IllegalArgumentException.class, () -> new VoxelNoise(new GaussianBlur(1)));
	}

	private static double mean(FloatVolume v) {
		double s = 0;
		for (float f : v.data()) s += f;
		return s / v.data().length;
	}

	private static double std(FloatVolume v) {
		double m = mean(v), s = 0;
		for (float f : v.data()) s += (f - m) * (f - m);
		return Math.sqrt(s / v.data().length);
	}
}
