package io.github.imagify.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import ij.ImagePlus;
import io.github.imagify.degrade.Degradation;
import io.github.imagify.degrade.DegradationSpec;
import io.github.imagify.degrade.GaussianBlur;
import io.github.imagify.degrade.KnownBlur;
import io.github.imagify.image.FloatImage;
import io.github.imagify.image.Normalization;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.testing.TestImages;

class PatchSamplerTest {

	@TempDir
	Path dir;

	static final Degradation NOISE = DegradationSpec.of("gaussian_noise", "", "25", 0, 2).toDegradation();

	@Test
	void splitHoldsOutATenthAndTrainingPatchesNeverTouchIt() throws IOException {
		Path folder = TestImages.folder(dir, "clean", 3, 96, 1); // 3 x 9 cells of 32
		List<TrainingImage> images = TrainingImages.load(folder, null, NOISE, Normalization.DEFAULT, 1);
		PatchSampler sampler = new PatchSampler(images, 32, NOISE, 0.1, 7);
		assertEquals(3, sampler.validation().size()); // round(27 * 0.1)
		assertEquals(24, sampler.trainingCells());
		// A validation patch's clean content must never appear as a training target (up to symmetries).
		Random rng = new Random(3);
		for (int i = 0; i < 300; i++) {
			PatchSampler.Pair p = sampler.next(rng);
			assertEquals(32, p.input().height());
			for (PatchSampler.Pair v : sampler.validation())
				assertNotEquals(v.target(), p.target());
		}
	}

	@Test
	void pairsAreDegradedAndNormalisedAlike() throws IOException {
		Path folder = TestImages.folder(dir, "clean", 2, 64, 2);
		List<TrainingImage> images = TrainingImages.load(folder, null, NOISE, Normalization.DEFAULT, 1);
		PatchSampler sampler = new PatchSampler(images, 32, NOISE, 0.1, 7);
		PatchSampler.Pair p = sampler.next(new Random(1));
		double mse = 0;
		for (int i = 0; i < p.input().data().length; i++) mse += Math.pow(p.input().data()[i] - p.target().data()[i], 2);
		double sigma = Math.sqrt(mse / p.input().data().length);
		// noise sigma 25 of 255, on a scale where the clean range spans roughly 1: clearly noisy, not absurd
		assertTrue(sigma > 0.03 && sigma < 0.3, "normalised noise sigma " + sigma);
		DataSet ds = PatchDataSetIterator.toDataSet(List.of(p, p));
		assertArrayEquals(new long[] { 2, 1, 32, 32 }, ds.getFeatures().shape());
		assertEquals(p.target().get(0, 5, 7), ds.getLabels().getFloat(1, 0, 5, 7), 1e-6);
	}

	@Test
	void sameSeedSameBatches() throws IOException {
		Path folder = TestImages.folder(dir, "clean", 2, 64, 2);
		List<TrainingImage> images = TrainingImages.load(folder, null, NOISE, Normalization.DEFAULT, 1);
		PatchSampler sampler = new PatchSampler(images, 32, NOISE, 0.1, 7);
		DataSet a = new PatchDataSetIterator(sampler, 3, 2, 99).next();
		DataSet b = new PatchDataSetIterator(sampler, 3, 2, 99).next();
		assertEquals(a.getFeatures(), b.getFeatures());
		PatchDataSetIterator it = new PatchDataSetIterator(sampler, 3, 2, 99);
		it.next();
		it.next();
		assertFalse(it.hasNext());
	}

	@Test
	void pairsModeUsesTheGivenDegradedImages() throws IOException {
		Path clean = TestImages.folder(dir, "clean", 2, 64, 4);
		Path degraded = Files.createDirectory(dir.resolve("degraded"));
		for (String n : List.of("img0.png", "img1.png")) {
			ImagePlus imp = ImageFiles.read(clean.resolve(n));
			imp.getProcessor().invert();
			ImageFiles.write(imp, degraded.resolve(n));
		}
		List<TrainingImage> images = TrainingImages.load(clean, degraded, null, Normalization.DEFAULT, 1);
		PatchSampler sampler = new PatchSampler(images, 32, null, 0.25, 7);
		PatchSampler.Pair p = sampler.validation().get(0);
		// inverted input: strongly anti-correlated with the target
		FloatImage x = p.input(), y = p.target();
		double mx = mean(x), my = mean(y), cov = 0;
		for (int i = 0; i < x.data().length; i++) cov += (x.data()[i] - mx) * (y.data()[i] - my);
		assertTrue(cov < 0);
	}

	@Test
	void badFoldersAndSizesAreClearErrors() throws IOException {
		Path empty = Files.createDirectory(dir.resolve("empty"));
		assertTrue(assertThrows(IOException.class, () -> TrainingImages.load(empty, null, NOISE, Normalization.DEFAULT, 1))
				.getMessage().contains("No images"));
		Path small = TestImages.folder(dir, "small", 1, 40, 1);
		List<TrainingImage> images = TrainingImages.load(small, null, NOISE, Normalization.DEFAULT, 1);
		var e = assertThrows(IllegalArgumentException.class, () -> new PatchSampler(images, 64, NOISE, 0.1, 1));
		assertTrue(e.getMessage().contains("smaller patch_size"), e.getMessage());
		Path mixed = TestImages.folder(dir, "mixed", 1, 64, 1);
		ImageFiles.write(new ImagePlus("rgb", TestImages.rgb(64, 64, 1)), mixed.resolve("rgb.png"));
		assertTrue(assertThrows(IOException.class, () -> TrainingImages.load(mixed, null, NOISE, Normalization.DEFAULT, 1))
				.getMessage().contains("mix grey and RGB"));
	}

	/**
	 * With a known blur each input carries the sigma it was blurred with in one more channel: blurring the target by
	 * that sigma gives the input's image channel (away from the patch border), and a sigma 0.3 px off does not.
	 */
	/**
	 * A colour difference told the luminance: the input's second channel is the luminance patch (same crop, same
	 * symmetry), noisy with the plane's sigma but its own noise, both normalised with the image's one range.
	 */
	@Test
	void luminanceGuidedInputsCarryTheNoisyLuminance() throws IOException {
		Path folder = Files.createDirectories(dir.resolve("rgb"));
		ImageFiles.write(new ImagePlus("a", TestImages.rgb(96, 96, 5)), folder.resolve("a.png"));
		Degradation noise = DegradationSpec.of("gaussian_noise", "", "20", 0, 2).toDegradation();
		List<TrainingImage> planes = TrainingImages.loadOpponentPlanes(folder, noise, Normalization.DEFAULT, 2, true);
		assertEquals(List.of("a.png:red-blue", "a.png:green-magenta"), planes.stream().map(TrainingImage::name).toList());
		PatchSampler sampler = new PatchSampler(planes, 32, noise, 0.1, 3);
		assertEquals(1, sampler.channels());
		assertEquals(2, sampler.inputChannels());
		Normalization.Range range = planes.get(0).range();
		for (PatchSampler.Pair pair : List.of(sampler.validation().get(0), sampler.next(new Random(4)))) {
			assertEquals(2, pair.input().channels());
			assertEquals(1, pair.target().channels());
			int n = pair.target().planeSize();
			float[] in = pair.input().data(), clean = pair.target().data();
			double planeNoise = 0, guideNoise = 0, cross = 0;
			FloatImage guideIn = new FloatImage(1, 32, 32, java.util.Arrays.copyOfRange(in, n, 2 * n));
			for (int i = 0; i < n; i++) planeNoise += (in[i] - clean[i]) * (in[i] - clean[i]);
			assertEquals(20, Math.sqrt(planeNoise / n) * range.scale(), 3, "the plane's noise, in grey levels");
			// the guide is the luminance where the target was cut, turned as it was
			FloatImage cleanLuminance = null;
			for (TrainingImage plane : planes) {
				int[] where = locate(plane.clean(), pair.target(), range);
				if (where != null)
					cleanLuminance = normalised(io.github.imagify.image.Symmetries.apply(plane.guide().crop(where[0], where[1], 32, 32), where[2]), range);
			}
			assertNotNull(cleanLuminance, "the target is a crop of a colour difference");
			for (int i = 0; i < n; i++) {
				double g = guideIn.data()[i] - cleanLuminance.data()[i], p = in[i] - clean[i];
				guideNoise += g * g;
				cross += g * p;
			}
			assertEquals(20, Math.sqrt(guideNoise / n) * range.scale(), 3, "the luminance's noise has the plane's sigma");
			assertTrue(Math.abs(cross / Math.sqrt(guideNoise * planeNoise)) < 0.2, "independent noise: correlation " + cross / Math.sqrt(guideNoise * planeNoise));
		}
	}

	/** Position and symmetry at which {@code target} (normalised) was cut from {@code plane}, or null. */
	private static int[] locate(FloatImage plane, FloatImage target, Normalization.Range range) {
		for (int y = 0; y + 32 <= plane.height(); y++)
			for (int x = 0; x + 32 <= plane.width(); x++)
				for (int sym = 0; sym < 8; sym++) {
					float[] c = normalised(io.github.imagify.image.Symmetries.apply(plane.crop(y, x, 32, 32), sym), range).data();
					boolean same = true;
					for (int i = 0; i < c.length && same; i++) same = Math.abs(c[i] - target.data()[i]) < 1e-5;
					if (same) return new int[] { y, x, sym };
				}
		return null;
	}

	private static FloatImage normalised(FloatImage image, Normalization.Range range) {
		range.normalize(image);
		return image;
	}

	@Test
	void knownBlurInputsCarryTheirSigma() throws IOException {
		DegradationSpec blur = DegradationSpec.of("gaussian_blur", "0.5-3", "0", 0, 2);
		KnownBlur known = new KnownBlur(blur);
		Path folder = TestImages.folder(dir, "clean", 2, 96, 5);
		List<TrainingImage> images = TrainingImages.load(folder, null, known, Normalization.DEFAULT, 1);
		PatchSampler sampler = new PatchSampler(images, 48, known, 0.2, 7);
		Random rng = new Random(2);
		double lo = Double.MAX_VALUE, hi = 0;
		for (int i = 0; i < 12; i++) {
			PatchSampler.Pair p = i < sampler.validation().size() ? sampler.validation().get(i) : sampler.next(rng);
			assertEquals(2, p.input().channels());
			assertEquals(1, p.target().channels());
			float sigma = p.input().get(1, 0, 0);
			for (int y = 0; y < 48; y++)
				for (int x = 0; x < 48; x++) assertEquals(sigma, p.input().get(1, y, x));
			assertTrue(sigma >= 0.5 && sigma <= 3, "sigma " + sigma);
			lo = Math.min(lo, sigma);
			hi = Math.max(hi, sigma);
			double right = centreError(GaussianBlur.blur(p.target(), sigma), p.input()), wrong = centreError(GaussianBlur.blur(p.target(), sigma + 0.3), p.input());
			assertTrue(right < 1e-5 && wrong > 100 * right, "sigma " + sigma + ": error " + right + ", with sigma + 0.3: " + wrong);
		}
		assertTrue(hi - lo > 1, "sigmas drawn from the range: " + lo + ".." + hi);
		DataSet ds = PatchDataSetIterator.toDataSet(List.of(sampler.next(rng), sampler.next(rng)));
		assertArrayEquals(new long[] { 2, 2, 48, 48 }, ds.getFeatures().shape());
		assertArrayEquals(new long[] { 2, 1, 48, 48 }, ds.getLabels().shape());
		PatchDataSetIterator it = new PatchDataSetIterator(sampler, 2, 1, 3);
		assertEquals(2 * 48 * 48, it.inputColumns());
		assertEquals(48 * 48, it.totalOutcomes());
	}

	/** Largest difference of channel 0 more than 9 px (3 x the largest sigma) from the border. */
	private static double centreError(FloatImage a, FloatImage b) {
		double max = 0;
		for (int y = 9; y < a.height() - 9; y++)
			for (int x = 9; x < a.width() - 9; x++) max = Math.max(max, Math.abs(a.get(0, y, x) - b.get(0, y, x)));
		return max;
	}

	static double mean(FloatImage f) {
		double s = 0;
		for (float v : f.data()) s += v;
		return s / f.data().length;
	}
}
