package io.github.imagify.classic;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.github.imagify.degrade.GaussianBlur;
import io.github.imagify.degrade.GaussianNoise;
import io.github.imagify.image.FloatImage;
import io.github.imagify.image.Tiling;
import io.github.imagify.imagej.ImagePlusImages;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.metrics.Metrics;
import io.github.imagify.testing.TestImages;

class ClassicFiltersTest {

	static FloatImage blobs(int w, int h) {
		return ImagePlusImages.plane(new ij.ImagePlus("b", TestImages.blobs(w, h, 5)), 1);
	}

	@Test
	void medianRemovesAnImpulseAndMatchesABruteForceMedian() {
		Random rng = new Random(1);
		FloatImage img = new FloatImage(2, 9, 11);
		for (int i = 0; i < img.data().length; i++) img.data()[i] = rng.nextInt(50);
		FloatImage out = MedianFilter.apply(img, 1);
		for (int c = 0; c < 2; c++)
			for (int y = 0; y < 9; y++)
				for (int x = 0; x < 11; x++) {
					float[] w = new float[9];
					int n = 0;
					for (int dy = -1; dy <= 1; dy++)
						for (int dx = -1; dx <= 1; dx++) w[n++] = img.get(c, Tiling.reflect(y + dy, 9), Tiling.reflect(x + dx, 11));
					Arrays.sort(w);
					assertEquals(w[4], out.get(c, y, x));
				}
		FloatImage flat = new FloatImage(1, 7, 7);
		Arrays.fill(flat.data(), 10);
		flat.set(0, 3, 3, 255);
		FloatImage cleaned = MedianFilter.apply(flat, 1);
		for (float v : cleaned.data()) assertEquals(10, v);
		assertThrows(IllegalArgumentException.class, () -> MedianFilter.apply(flat, 0));
	}

	@Test
	void nonLocalMeansLimitsAreIdentityAndWindowMean() {
		FloatImage noisy = new GaussianNoise(20).apply(blobs(24, 20), 255, new Random(2));
		FloatImage[] out = NonLocalMeans.denoise(noisy, 0, new double[] { 1e-3, 1e9 }, 1, 2);
		// tiny h: only the pixel's own patch has weight
		for (int i = 0; i < noisy.data().length; i++) assertEquals(noisy.data()[i], out[0].data()[i], 1e-3);
		// huge h: every candidate weighs the same, so the result is the mean of the mirrored 5x5 search window
		for (int y = 0; y < 20; y++)
			for (int x = 0; x < 24; x++) {
				double s = 0;
				for (int dy = -2; dy <= 2; dy++)
					for (int dx = -2; dx <= 2; dx++) s += noisy.get(0, Tiling.reflect(y + dy, 20), Tiling.reflect(x + dx, 24));
				assertEquals(s / 25, out[1].get(0, y, x), 1e-3);
			}
	}

	@Test
	void nonLocalMeansDenoisesGreyAndRgb() {
		FloatImage clean = blobs(64, 48);
		FloatImage noisy = new GaussianNoise(25).apply(clean, 255, new Random(3));
		FloatImage out = NonLocalMeans.denoise(noisy, 25, new double[] { 20 }, 3, 7)[0];
		assertTrue(Metrics.psnr(clean, out, 255) > Metrics.psnr(clean, noisy, 255) + 6);
		FloatImage rgb = new FloatImage(3, 48, 64);
		for (int c = 0; c < 3; c++) System.arraycopy(clean.data(), 0, rgb.data(), c * clean.planeSize(), clean.planeSize());
		FloatImage noisyRgb = new GaussianNoise(25).apply(rgb, 255, new Random(4));
		FloatImage outRgb = NonLocalMeans.denoise(noisyRgb, 25, new double[] { 20 }, 3, 7)[0];
		assertEquals(3, outRgb.channels());
		assertTrue(Metrics.psnr(rgb, outRgb, 255) > Metrics.psnr(rgb, noisyRgb, 255) + 6);
	}

	@Test
	void richardsonLucySharpensAKnownBlurAndStaysPositive() {
		FloatImage clean = blobs(64, 48);
		FloatImage blurred = GaussianBlur.blur(clean, 2);
		double[] best = { 0 };
		int[] reported = { 0 };
		FloatImage out = RichardsonLucy.deconvolve(blurred, 2, 30, it -> it % 10 == 0, (estimate, it) -> {
			reported[0]++;
			best[0] = Math.max(best[0], Metrics.psnr(clean, estimate, 255));
		});
		assertEquals(3, reported[0]);
		assertTrue(best[0] > Metrics.psnr(clean, blurred, 255) + 1, "RL gain " + best[0] + " vs " + Metrics.psnr(clean, blurred, 255));
		for (float v : out.data()) assertTrue(v > 0);
		assertThrows(IllegalArgumentException.class, () -> RichardsonLucy.deconvolve(blurred, 0, 1, it -> false, (e, it) -> {}));
	}

	/** A crop of a real photo from sample-images/ (the project's root is the tests' working directory). */
	static FloatImage sample(String name, int y, int x, int size) throws Exception {
		return ImagePlusImages.plane(ImageFiles.read(Path.of("sample-images", name)), 1).crop(y, x, size, size);
	}

	static FloatImage clipped(FloatImage image) {
		FloatImage out = image.copy();
		for (int i = 0; i < out.data().length; i++) out.data()[i] = Math.max(0, Math.min(255, out.data()[i]));
		return out;
	}

	@Test
	void bm3dHelpersAreOrthonormalAndCoverTheBorder() {
		// the DCT rows are an orthonormal basis, so block distances may be taken between spectra
		double[][] dct = Bm3d.dctMatrix(8);
		for (int a = 0; a < 8; a++)
			for (int b = 0; b < 8; b++) {
				double dot = 0;
				for (int x = 0; x < 8; x++) dot += dct[a][x] * dct[b][x];
				assertEquals(a == b ? 1 : 0, dot, 1e-12);
			}
		// Haar along a group of 8 keeps the energy and inverts exactly
		Random rng = new Random(1);
		float[] g = new float[8 * 3], tmp = new float[8 * 3];
		double energy = 0;
		for (int i = 0; i < g.length; i++) energy += (g[i] = (float) rng.nextGaussian()) * g[i];
		float[] original = g.clone();
		Bm3d.haar(g, 8, 3, tmp);
		double after = 0;
		for (float v : g) after += v * v;
		assertEquals(energy, after, 1e-4);
		double dc = 0;
		for (int j = 0; j < 8; j++) dc += original[j * 3];
		assertEquals(dc / Math.sqrt(8), g[0], 1e-5); // the first coefficient is the group's scaled mean
		Bm3d.inverseHaar(g, 8, 3, tmp);
		for (int i = 0; i < g.length; i++) assertEquals(original[i], g[i], 1e-5);
		// MATLAB's kaiser(8, 2) * kaiser(8, 2)', as the authors' code hard-codes it
		float[] window = Bm3d.kaiser2d(8, 2);
		assertEquals(0.1924, window[0], 1e-4);
		assertEquals(0.4325, window[3], 1e-4);
		assertEquals(0.9718, window[3 * 8 + 3], 1e-4);
		// reference blocks on the step grid, plus the last position so the far border is covered
		assertArrayEquals(new int[] { 0, 3, 6, 9, 12 }, Bm3d.referencePositions(12, 3));
		assertArrayEquals(new int[] { 0, 3, 6, 9, 12, 13 }, Bm3d.referencePositions(13, 3));
		assertArrayEquals(new int[] { 0 }, Bm3d.referencePositions(0, 3));
	}

	@Test
	void bm3dStageOneWaveletIsTheAuthorsBior15() {
		double[][] t = Bm3d.bior15Matrix(8);
		// rows as PyWavelets 1.1.1 gives them (wavedec 'bior1.5', mode 'periodization' = MATLAB's 'per', 3 levels),
		// scaled to unit norm: the coarse approximation, the two coarser details, then Haar differences
		double[][] expected = {
				{ 0.35355, 0.35355, 0.35355, 0.35355, 0.35355, 0.35355, 0.35355, 0.35355 },
				{ 0.21942, 0.44928, 0.44928, 0.21942, -0.21942, -0.44928, -0.44928, -0.21942 },
				{ 0.56936, 0.40235, -0.40235, -0.56936, -0.08351, 0.08351, -0.08351, 0.08351 },
				{ -0.08351, 0.08351, -0.08351, 0.08351, 0.56936, 0.40235, -0.40235, -0.56936 },
				{ 0.70711, -0.70711, 0, 0, 0, 0, 0, 0 },
				{ 0, 0, 0, 0, 0, 0, 0.70711, -0.70711 } };
		int[] rows = { 0, 1, 2, 3, 4, 7 };
		for (int r = 0; r < rows.length; r++)
			for (int x = 0; x < 8; x++) assertEquals(expected[r][x], t[rows[r]][x], 1e-5, "row " + rows[r] + ", column " + x);
		// biorthogonal, not orthogonal: the inverse undoes it, the transpose does not
		double[][] inverse = Bm3d.invert(t);
		double transposeError = 0;
		for (int a = 0; a < 8; a++)
			for (int b = 0; b < 8; b++) {
				double product = 0, viaTranspose = 0;
				for (int x = 0; x < 8; x++) {
					product += inverse[a][x] * t[x][b];
					viaTranspose += t[x][a] * t[x][b];
				}
				assertEquals(a == b ? 1 : 0, product, 1e-12);
				transposeError = Math.max(transposeError, Math.abs((a == b ? 1 : 0) - viaTranspose));
			}
		assertTrue(transposeError > 0.05, "bior1.5 came out orthogonal");
		assertThrows(IllegalArgumentException.class, () -> Bm3d.bior15Matrix(12));
		// as in the authors' code: bior1.5 in stage 1 up to sigma 40; the DCT in stage 2 and for the 12x12 blocks above
		assertArrayEquals(t[1], Bm3d.HT_NORMAL.transform()[0][1], 0);
		assertArrayEquals(inverse[2], Bm3d.HT_NORMAL.transform()[1][2], 1e-12);
		assertArrayEquals(Bm3d.dctMatrix(8)[1], Bm3d.WIENER_NORMAL.transform()[0][1], 0);
		assertArrayEquals(Bm3d.dctMatrix(12)[1], Bm3d.HT_STRONG.transform()[0][1], 0);
	}

	@Test
	void bm3dBeatsTheBestNonLocalMeansOnARealImage() throws Exception {
		FloatImage clean = sample("camera.png", 96, 160, 128);
		FloatImage noisy = new GaussianNoise(25).apply(clean, 255, new Random(5));
		FloatImage out = Bm3d.denoise(noisy, 25);
		double noisyPsnr = Metrics.psnr(clean, noisy, 255), bm3d = Metrics.psnr(clean, clipped(out), 255), nlm = 0;
		// NLM as the evaluation runs it: the best of its h grid for this image, picked with the truth
		for (FloatImage o : NonLocalMeans.denoise(noisy, 25, new double[] { 12.5, 17.5, 22.5, 30 }, 3, 10))
			nlm = Math.max(nlm, Metrics.psnr(clean, clipped(o), 255));
		assertTrue(bm3d > noisyPsnr + 7, "BM3D " + bm3d + " dB, noisy " + noisyPsnr);
		assertTrue(bm3d > nlm + 0.5, "BM3D " + bm3d + " dB, best NLM " + nlm);
		// parallel over reference rows, yet the same result every time
		assertEquals(out, Bm3d.denoise(noisy, 25));
	}

	@Test
	void bm3dStrongNoiseProfileAndDataRange() throws Exception {
		FloatImage clean = sample("camera.png", 96, 160, 96);
		FloatImage noisy = new GaussianNoise(50).apply(clean, 255, new Random(6));
		FloatImage out = Bm3d.denoise(noisy, 50);
		double noisyPsnr = Metrics.psnr(clean, noisy, 255), bm3d = Metrics.psnr(clean, clipped(out), 255);
		assertTrue(bm3d > noisyPsnr + 9, "BM3D at sigma 50: " + bm3d + " dB, noisy " + noisyPsnr);
		// the thresholds follow the data range: the same image in 0..1 gives the same result in 0..1
		FloatImage unit = noisy.copy();
		for (int i = 0; i < unit.data().length; i++) unit.data()[i] /= 255;
		FloatImage outUnit = Bm3d.denoise(unit, 50 / 255.0, 1);
		for (int i = 0; i < outUnit.data().length; i++) outUnit.data()[i] *= 255;
		assertTrue(Metrics.psnr(out, outUnit, 255) > 60, "0..1 and 0..255 differ: " + Metrics.psnr(out, outUnit, 255) + " dB");
	}

	@Test
	void bm3dKeepsAFlatImageFlat() {
		FloatImage flat = new FloatImage(1, 40, 36);
		Arrays.fill(flat.data(), 100);
		for (float v : Bm3d.denoise(flat, 10).data()) assertEquals(100, v, 1e-3);
		FloatImage noisy = new GaussianNoise(20).apply(flat, 255, new Random(7));
		float[] out = Bm3d.denoise(noisy, 20).data();
		double sum = 0, sum2 = 0;
		for (float v : out) {
			sum += v - 100;
			sum2 += (v - 100) * (v - 100);
		}
		assertEquals(0, sum / out.length, 1);
		assertTrue(Math.sqrt(sum2 / out.length) < 2, "residual noise " + Math.sqrt(sum2 / out.length) + " of sigma 20");
	}

	@Test
	void cbm3dDenoisesRgbBetterThanChannelByChannel() throws Exception {
		FloatImage clean = sample("chelsea.png", 100, 180, 96);
		assertEquals(3, clean.channels());
		FloatImage noisy = new GaussianNoise(25).apply(clean, 255, new Random(8));
		FloatImage out = Bm3d.denoise(noisy, 25);
		assertEquals(3, out.channels());
		double noisyPsnr = Metrics.psnr(clean, noisy, 255), colour = Metrics.psnr(clean, clipped(out), 255);
		// grouping on luminance and filtering in opponent space beats grey BM3D on each of R, G, B
		FloatImage separate = new FloatImage(3, 96, 96);
		for (int c = 0; c < 3; c++) {
			FloatImage channel = new FloatImage(1, 96, 96, Arrays.copyOfRange(noisy.data(), c * 96 * 96, (c + 1) * 96 * 96));
			System.arraycopy(Bm3d.denoise(channel, 25).data(), 0, separate.data(), c * 96 * 96, 96 * 96);
		}
		double perChannel = Metrics.psnr(clean, clipped(separate), 255);
		assertTrue(colour > noisyPsnr + 8, "CBM3D " + colour + " dB, noisy " + noisyPsnr);
		assertTrue(colour > perChannel + 0.8, "CBM3D " + colour + " dB, grey BM3D per channel " + perChannel);
	}

	@Test
	void bm3dRejectsWhatItCannotDenoise() {
		FloatImage img = blobs(24, 20);
		assertEquals(img, Bm3d.denoise(img, 0)); // no noise, nothing to remove
		assertNotSame(img, Bm3d.denoise(img, 0));
		for (double bad : new double[] { -1, Double.NaN, Double.POSITIVE_INFINITY })
			assertThrows(IllegalArgumentException.class, () -> Bm3d.denoise(img, bad));
		assertThrows(IllegalArgumentException.class, () -> Bm3d.denoise(img, 10, 0));
		assertThrows(IllegalArgumentException.class, () -> Bm3d.denoise(new FloatImage(2, 20, 20), 10));
		// blocks are 8x8 up to sigma 40, 12x12 above
		assertThrows(IllegalArgumentException.class, () -> Bm3d.denoise(new FloatImage(1, 7, 20), 10));
		assertThrows(IllegalArgumentException.class, () -> Bm3d.denoise(new FloatImage(1, 10, 20), 50));
		assertEquals(8, Bm3d.denoise(new FloatImage(1, 8, 9), 10).height());
	}
}
