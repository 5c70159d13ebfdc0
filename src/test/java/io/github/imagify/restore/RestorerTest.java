package io.github.imagify.restore;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import io.github.imagify.bundled.BundledModels;
import io.github.imagify.degrade.GaussianNoise;
import io.github.imagify.image.FloatImage;
import io.github.imagify.image.Normalization;
import io.github.imagify.image.OpponentColours;
import io.github.imagify.image.PlaneView;
import io.github.imagify.image.Symmetries;
import io.github.imagify.imagej.ImagePlusImages;
import io.github.imagify.imagej.restore.FileRestorer;
import io.github.imagify.imagej.restore.ImageRestorer;
import io.github.imagify.imagej.restore.ModelChoice;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.metrics.Metrics;
import io.github.imagify.model.UNetSpec;
import io.github.imagify.modelfile.ModelFile;
import io.github.imagify.testing.TestModels;

/** Restoring through the real ONNX Runtime with small real U-Nets exported by our exporter. */
class RestorerTest {

	static Restorer grey; // random depth-2 network
	static Restorer identity; // residual network with all weights zero: output == input
	static ModelFile identityFile;

	@TempDir
	Path dir;

	@BeforeAll
	static void models() throws Exception {
		grey = new Restorer(TestModels.randomModel(1, 2, 4, 11), 32, 1);
		UNetSpec spec = new UNetSpec(1, 2, 4, 0, true, 1.0);
		ComputationGraph zero = TestModels.randomGraph(spec, 1);
		zero.params().assign(0);
		identityFile = TestModels.modelFile(zero, spec, "identity");
		identity = new Restorer(identityFile, 64, 1);
	}

	@AfterAll
	static void close() {
		grey.close();
		identity.close();
	}

	@Test
	void tiledEqualsUntiled() throws Exception {
		FloatImage img = random(1, 70, 90, 3, 0, 1000);
		FloatImage tiled = grey.restore(img, null);
		try (Restorer whole = new Restorer(TestModels.randomModel(1, 2, 4, 11), 4096, 1)) {
			FloatImage untiled = whole.restore(img, null);
			double maxDiff = 0, maxAbs = 0;
			for (int i = 0; i < img.data().length; i++) {
				maxDiff = Math.max(maxDiff, Math.abs(tiled.data()[i] - untiled.data()[i]));
				maxAbs = Math.max(maxAbs, Math.abs(untiled.data()[i]));
			}
			// compare on the normalised scale (the data spans ~1000)
			assertTrue(maxDiff / 1000 <= 1e-4, "tiled vs untiled differ by " + maxDiff);
			assertTrue(maxAbs > 0);
		}
		assertEquals(70, tiled.height());
		assertEquals(90, tiled.width());
	}

	@Test
	void selfEnsembleOfEightMakesTheRestoreEquivariantToMirrorsAndTurns() throws Exception {
		// sides multiple of the pooling size, so a mirrored image keeps its pooling grid; not square, so turns swap them
		FloatImage grey1 = random(1, 64, 72, 8, 0, 1000), rgb = random(3, 64, 72, 9, 0, 255);
		try (Restorer eight = new Restorer(TestModels.randomModel(1, 2, 4, 11), 32, 1, 8)) {
			assertEquals(8, eight.ensemble());
			for (FloatImage img : List.of(grey1, rgb)) { // RGB goes through the grey model in opponent colours
				FloatImage single = grey.restore(img, null), averaged = eight.restore(img, null);
				double plainWorst = 0;
				for (int k = 1; k < Symmetries.COUNT; k++) {
					FloatImage turned = Symmetries.apply(img, k);
					double d = maxDifference(eight.restore(turned, null), Symmetries.apply(averaged, k));
					assertTrue(d <= 1e-4 * 1000, "ensemble of 8, symmetry " + k + ": differs by " + d);
					plainWorst = Math.max(plainWorst, maxDifference(grey.restore(turned, null), Symmetries.apply(single, k)));
				}
				// the random network alone is not equivariant, so the property above is the ensemble's doing
				assertTrue(plainWorst > 1e-2, "a random network came out equivariant: " + plainWorst);
				assertTrue(maxDifference(single, averaged) > 1e-2);
			}
		}
		for (int bad : new int[] { 0, 3, 16 })
			assertTrue(assertThrows(IllegalArgumentException.class, () -> new Restorer(TestModels.randomModel(1, 2, 4, 11), 32, 1, bad))
					.getMessage().startsWith("ensemble must be 1, 2, 4 or 8"));
	}

	static double maxDifference(FloatImage a, FloatImage b) {
		assertTrue(a.sameShape(b));
		double d = 0;
		for (int i = 0; i < a.data().length; i++) d = Math.max(d, Math.abs(a.data()[i] - b.data()[i]));
		return d;
	}

	@Test
	void outputIsInTheInputsUnits() throws Exception {
		FloatImage img = random(1, 37, 29, 5, 0, 255);
		FloatImage out = identity.restore(img, null);
		assertArrayEquals(img.data(), out.data(), 1e-3f);
		FloatImage big = random(1, 24, 26, 6, 1000, 60000);
		assertArrayEquals(big.data(), identity.restore(big, null).data(), 0.1f);
	}

	/**
	 * A grey model trained on given pairs may have learnt something channel-specific, and a self-supervised one learnt
	 * each colour channel's noise on its own: they restore RGB channel by channel.
	 */
	@Test
	void greyModelFromPairsOrNoisyImagesRestoresEachChannelOnItsOwn() throws Exception {
		for (String trainedOn : List.of("pairs", "noise2void", "noise2noise"))
			restoresEachChannelOnItsOwn(trainedOn);
	}

	private static void restoresEachChannelOnItsOwn(String trainedOn) throws Exception {
		UNetSpec spec = new UNetSpec(1, 2, 4, 0.0, true, 1.0);
		try (Restorer fromPairs = new Restorer(TestModels.modelFile(TestModels.randomGraph(spec, 11), spec, trainedOn, trainedOn), 32, 1)) {
			assertFalse(fromPairs.colourThroughOpponent());
			FloatImage rgb = random(3, 24, 40, 7, 0, 255);
			FloatImage all = fromPairs.restore(rgb, null);
			for (int c = 0; c < 3; c++) {
				FloatImage one = new FloatImage(1, 24, 40, java.util.Arrays.copyOfRange(rgb.data(), c * 960, (c + 1) * 960));
				assertArrayEquals(fromPairs.restore(one, null).data(), java.util.Arrays.copyOfRange(all.data(), c * 960, (c + 1) * 960), 1e-3f);
			}
		}
	}

	/**
	 * A model told the blur gets the sigma as a constant extra channel of every tile: tiled, its output is DL4J's on the
	 * whole normalised image with that channel; another sigma gives another output; without a sigma, or outside the
	 * trained range, it refuses. A blind model ignores the sigma.
	 */
	@Test
	void toldModelReadsTheBlurSigmaBesideEveryTile() throws Exception {
		UNetSpec spec = new UNetSpec(1, 2, 4, 0.0, true, 1.0, UNetSpec.BLUR_SIGMA);
		ComputationGraph graph = TestModels.randomGraph(spec, 21);
		ModelFile told = TestModels.toldModelFile(graph, spec, "told");
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new Restorer(told, 32, 1)).getMessage()
				.matches("Model 'told' is told the blur: give blur_sigma, .*\\(0\\.5-3 px for this model\\)"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new Restorer(told, 32, 1, 1, 3.5)).getMessage()
				.contains("blur_sigma 3.5 is outside the 0.5-3 px that model 'told' was trained on"));
		int h = 96, w = 112; // the centre, beyond the receptive field from the border, is the same tiled or whole
		FloatImage image = random(1, h, w, 9, 0, 255);
		Normalization.Range range = Normalization.DEFAULT.measure(image);
		FloatImage normalised = image.copy();
		range.normalize(normalised);
		FloatImage first = null;
		for (double sigma : new double[] { 1.5, 2.5 }) {
			FloatImage out;
			try (Restorer restorer = new Restorer(told, 32, 1, 1, sigma)) {
				assertTrue(restorer.told());
				out = restorer.restore(image, null);
			}
			FloatImage withSigma = normalised.withConstantChannel((float) sigma);
			INDArray x = Nd4j.create(withSigma.data(), new long[] { 1, 2, h, w }, 'c');
			FloatImage expected = new FloatImage(1, h, w, graph.outputSingle(false, x).dup('c').data().asFloat());
			range.denormalize(expected);
			int m = told.info().context() + 1;
			for (int y = m; y < h - m; y++)
				for (int x0 = m; x0 < w - m; x0++)
					assertEquals(expected.get(0, y, x0), out.get(0, y, x0), 1e-2, "pixel " + y + "," + x0); // 0..255 units
			if (first == null) first = out;
			else assertTrue(Metrics.mse(first, out) > 1e-3, "the sigma must matter");
		}
		try (Restorer blind = new Restorer(TestModels.randomModel(1, 2, 4, 11), 32, 1, 1, 2.0)) {
			assertFalse(blind.told());
			assertArrayEquals(grey.restore(image, null).data(), blind.restore(image, null).data(), 1e-6f);
		}
	}

	@Test
	void wrongChannelsAndNonFinitePixelsAreClearErrors() throws Exception {
		try (Restorer rgbModel = new Restorer(TestModels.randomModel(3, 1, 4, 2), 64, 1)) {
			var e = assertThrows(IllegalArgumentException.class, () -> rgbModel.restore(random(1, 24, 24, 1, 0, 1), null));
			assertTrue(e.getMessage().contains("expects 3 channels"), e.getMessage());
		}
		FloatImage nan = random(1, 24, 24, 1, 0, 1);
		nan.data()[5] = Float.NaN;
		assertTrue(assertThrows(IllegalArgumentException.class, () -> grey.restore(nan, null)).getMessage().contains("NaN"));
	}

	@Test
	void imagesSmallerThanTheReceptiveFieldAreRefusedAndTheSmallestAllowedWorks() throws Exception {
		int min = grey.minimumSize();
		assertEquals(grey.info().context() + 1, min);
		for (int[] size : new int[][] { { 1, 1 }, { min - 1, 40 }, { 40, min - 1 } }) {
			var e = assertThrows(IllegalArgumentException.class, () -> grey.restore(new FloatImage(1, size[1], size[0]), null));
			assertTrue(e.getMessage().contains(size[0] + "x" + size[1] + " pixels"), e.getMessage());
			assertFalse(e.getMessage().contains("\n"));
		}
		var empty = assertThrows(IllegalArgumentException.class, () -> new ImageRestorer(grey).restore(new ImagePlus(), RestoreListener.SILENT));
		assertTrue(empty.getMessage().contains("is empty"), empty.getMessage());
		var tiny = assertThrows(IllegalArgumentException.class,
				() -> new ImageRestorer(grey).restore(new ImagePlus("t", new ByteProcessor(1, 1)), RestoreListener.SILENT));
		assertTrue(tiny.getMessage().contains("1x1 pixels"), tiny.getMessage());
		FloatImage smallest = random(1, min, min, 1, 0, 9);
		assertEquals(smallest.data().length, identity.restore(smallest, null).data().length);
		assertArrayEquals(smallest.data(), identity.restore(smallest, null).data(), 1e-4f);
	}

	@Test
	void stacksKeepDimensionsCalibrationAndUnits() throws Exception {
		ImageStack stack = new ImageStack(30, 24);
		for (int i = 0; i < 6; i++) {
			ByteProcessor bp = new ByteProcessor(30, 24);
			for (int p = 0; p < 720; p++) bp.set(p, (p * 7 + i * 13) % 256);
			stack.addSlice("s" + i, bp);
		}
		ImagePlus imp = new ImagePlus("cells.tif", stack);
		imp.setDimensions(2, 3, 1);
		imp.setOpenAsHyperStack(true);
		Calibration cal = new Calibration();
		cal.pixelWidth = 0.25;
		cal.setUnit("mm");
		imp.setCalibration(cal);
		byte[] before = ((byte[]) stack.getPixels(4)).clone();

		ImagePlus out = new ImageRestorer(identity).restore(imp, RestoreListener.SILENT);
		assertEquals(32, out.getBitDepth());
		assertArrayEquals(new int[] { 30, 24, 2, 3, 1 }, out.getDimensions());
		assertEquals("cells-restored.tif", out.getTitle());
		assertEquals(0.25, out.getCalibration().pixelWidth);
		assertEquals("mm", out.getCalibration().getUnit());
		float[] restored = (float[]) out.getStack().getPixels(4);
		for (int p = 0; p < 720; p++) assertEquals(before[p] & 0xff, restored[p], 1e-2);
		assertArrayEquals(before, (byte[]) stack.getPixels(4), "the input is untouched");
	}

	@Test
	void rgbStaysRgb() throws Exception {
		ColorProcessor cp = new ColorProcessor(24, 24);
		for (int p = 0; p < 576; p++) cp.set(p, ((p & 255) << 16) | ((255 - (p & 255)) << 8) | (p / 3));
		ImagePlus out = new ImageRestorer(identity).restore(new ImagePlus("rgb", cp), RestoreListener.SILENT);
		assertEquals(ImagePlus.COLOR_RGB, out.getType());
		int[] in = (int[]) cp.getPixels(), restored = (int[]) out.getProcessor().getPixels();
		for (int p = 0; p < in.length; p++) assertEquals(in[p] & 0xffffff, restored[p] & 0xffffff, "pixel " + p);
	}

	@Test
	void foldersRestoreUnderTheSameNamesAndInputsStayIntact() throws Exception {
		Path in = Files.createDirectory(dir.resolve("in"));
		ImageFiles.write(new ImagePlus("a", new FloatProcessor(30, 26, randomPlane(30, 26, 1))), in.resolve("a.tif"));
		ByteProcessor bp = new ByteProcessor(25, 24);
		bp.setColor(77);
		bp.fill();
		ImageFiles.write(new ImagePlus("b", bp), in.resolve("b.png"));
		byte[] aBefore = Files.readAllBytes(in.resolve("a.tif"));
		Path out = dir.resolve("out");
		List<Path> written;
		try (ModelChoice models = identityModel()) {
			written = new FileRestorer(models).restore(in, out, RestoreListener.SILENT);
		}
		assertEquals(List.of(out.resolve("a.tif"), out.resolve("b.png")), written);
		assertEquals(32, ImageFiles.read(out.resolve("a.tif")).getBitDepth());
		ImagePlus b = ImageFiles.read(out.resolve("b.png"));
		assertEquals(8, b.getBitDepth(), "PNG keeps the input's bit depth");
		assertEquals(77, b.getProcessor().get(3, 4));
		assertArrayEquals(aBefore, Files.readAllBytes(in.resolve("a.tif")));
	}

	@Test
	void outputEqualToInputIsRefused() throws Exception {
		Path a = dir.resolve("a.tif");
		ImageFiles.write(new ImagePlus("a", new FloatProcessor(8, 8, randomPlane(8, 8, 2))), a);
		byte[] before = Files.readAllBytes(a);
		try (ModelChoice models = identityModel()) {
			var e = assertThrows(IllegalArgumentException.class,
					() -> new FileRestorer(models).restore(a, dir.resolve("./a.tif"), RestoreListener.SILENT));
			assertTrue(e.getMessage().contains("same as 'input'"), e.getMessage());
			assertThrows(IllegalArgumentException.class, () -> new FileRestorer(models).restore(dir, dir, RestoreListener.SILENT));
		}
		assertArrayEquals(before, Files.readAllBytes(a));
	}

	@Test
	void modelFilesThatAreNotOursFailCleanly() throws Exception {
		Path bogus = dir.resolve("bogus.zip");
		Files.writeString(bogus, "PK not really");
		assertThrows(java.io.IOException.class, () -> BundledModels.resolve(bogus.toString()));
		ModelFile broken = new ModelFile(TestModels.randomModel(1, 1, 4, 3).info(), new byte[] { 1, 2, 3 });
		var e = assertThrows(java.io.IOException.class, () -> new Restorer(broken, 64, 1));
		assertTrue(e.getMessage().contains("model.onnx is not an ONNX graph"), e.getMessage());
	}

	/** The identity model as a file on disk, chosen through the {@code model} key as a user would. */
	ModelChoice identityModel() throws java.io.IOException {
		Path file = dir.resolve("identity-model.zip");
		if (!Files.exists(file)) identityFile.write(file);
		return new ModelChoice(file.toString(), 64, 1, line -> {});
	}

	/**
	 * With the model key empty, grey images get denoise-gray and RGB images denoise-rgb, which restores their colour
	 * differences told the luminance and their luminance through denoise-gray.
	 */
	@Test
	void emptyModelKeyPicksTheBundledDenoiserForTheImagesChannels() throws Exception {
		List<String> lines = new java.util.ArrayList<>();
		try (ModelChoice models = new ModelChoice("", 64, 1, lines::add)) {
			assertEquals(BundledModels.DEFAULT_GRAY, models.forChannels(1).info().name());
			Restorer rgb = models.forChannels(3);
			assertEquals(BundledModels.DEFAULT_RGB, rgb.info().name());
			assertSame(rgb, models.forChannels(3), "loaded once");
			assertEquals(UNetSpec.LUMINANCE, rgb.info().condition());
			assertEquals(BundledModels.DEFAULT_GRAY, rgb.info().training().get(io.github.imagify.modelfile.ModelInfo.LUMINANCE_MODEL));
			assertEquals(BundledModels.DEFAULT_GRAY, rgb.luminanceModel().name());
			assertTrue(rgb.colourThroughOpponent());
		}
		assertEquals(3, lines.size(), "each model, and once how RGB goes through them: " + lines);
		assertTrue(lines.get(2).contains("the luminance through grey model 'denoise-gray', the colour differences through 'denoise-rgb'"), lines.toString());
		// naming denoise-rgb restores RGB exactly as the default does
		FloatImage image = random(3, 64, 72, 4, 0, 255);
		try (ModelChoice byDefault = new ModelChoice("", 64, 1, line -> {}); ModelChoice named = new ModelChoice("denoise-rgb", 64, 1, line -> {})) {
			assertArrayEquals(byDefault.forChannels(3).restore(image, null).data(), named.forChannels(3).restore(image, null).data(), 0f);
		}
		// the deblurrers: deblur is told the blur sigma, deblur-blind is not
		assertEquals(UNetSpec.BLUR_SIGMA, BundledModels.load(BundledModels.DEBLUR).info().condition());
		assertNull(BundledModels.load(BundledModels.DEBLUR_BLIND).info().condition());
		assertEquals("gaussian_blur", BundledModels.load(BundledModels.DEBLUR_BLIND).info().degradation().get("type"));
	}

	@Test
	void opponentColoursGoBackToTheSameRgb() {
		FloatImage rgb = random(3, 20, 30, 5, 0, 255);
		PlaneView view = OpponentColours.view(rgb);
		FloatImage opponent = new FloatImage(3, 20, 30);
		float[] row = new float[30];
		for (int c = 0; c < 3; c++)
			for (int y = 0; y < 20; y++) {
				view.read(c, y, 0, 30, row, 0);
				opponent.write(c, y, 0, 30, row, 0);
			}
		OpponentColours.toRgb(opponent);
		for (int i = 0; i < rgb.data().length; i++) assertEquals(rgb.data()[i], opponent.data()[i], 1e-3);

		// a grey pixel is all luminance: its colour differences are zero
		FloatImage grey = new FloatImage(3, 1, 1, new float[] { 77, 77, 77 });
		PlaneView greyView = OpponentColours.view(grey);
		greyView.read(0, 0, 0, 1, row, 0);
		assertEquals(77 * Math.sqrt(3), row[0], 1e-3);
		for (int c = 1; c < 3; c++) {
			greyView.read(c, 0, 0, 1, row, 0);
			assertEquals(0, row[0], 1e-3);
		}
	}

	/**
	 * An RGB plane through a grey model goes through opponent colours: the identity model gives the RGB back
	 * (transform, shared normalisation and tiling are exact), and the bundled denoiser restores a noisy photo
	 * better that way than channel by channel.
	 */
	@Test
	void greyModelRestoresRgbInOpponentColours() throws Exception {
		FloatImage rgb = random(3, 150, 170, 9, 0, 255);
		assertTrue(identity.colourThroughOpponent());
		FloatImage same = identity.restore(rgb, null);
		for (int i = 0; i < rgb.data().length; i++) assertEquals(rgb.data()[i], same.data()[i], 2e-2);

		FloatImage clean = ImagePlusImages.plane(ImageFiles.read(Path.of("sample-images", "chelsea.png")), 1).crop(60, 100, 192, 192);
		FloatImage noisy = new GaussianNoise(25).apply(clean, 255, new Random(3));
		try (Restorer denoiser = new Restorer(BundledModels.load(BundledModels.DEFAULT_GRAY), 512, 1)) {
			double opponent = Metrics.psnr(clean, clipped(denoiser.restore(noisy, null)), 255);
			FloatImage perChannel = new FloatImage(3, 192, 192);
			for (int c = 0; c < 3; c++) {
				FloatImage one = new FloatImage(1, 192, 192);
				System.arraycopy(noisy.data(), c * one.planeSize(), one.data(), 0, one.planeSize());
				System.arraycopy(denoiser.restore(one, null).data(), 0, perChannel.data(), c * one.planeSize(), one.planeSize());
			}
			double channels = Metrics.psnr(clean, clipped(perChannel), 255), input = Metrics.psnr(clean, noisy, 255);
			assertTrue(opponent > channels + 0.3 && channels > input + 5,
					String.format("opponent %.2f dB, channel by channel %.2f dB, noisy %.2f dB", opponent, channels, input));
		}
	}

	private static FloatImage clipped(FloatImage image) {
		float[] d = image.data();
		for (int i = 0; i < d.length; i++) d[i] = Math.max(0, Math.min(255, d[i]));
		return image;
	}

	static float[] randomPlane(int w, int h, long seed) {
		Random rng = new Random(seed);
		float[] f = new float[w * h];
		for (int i = 0; i < f.length; i++) f[i] = rng.nextFloat() * 100;
		return f;
	}

	static FloatImage random(int c, int h, int w, long seed, float lo, float hi) {
		Random rng = new Random(seed);
		FloatImage img = new FloatImage(c, h, w);
		for (int i = 0; i < img.data().length; i++) img.data()[i] = lo + rng.nextFloat() * (hi - lo);
		return img;
	}
}
