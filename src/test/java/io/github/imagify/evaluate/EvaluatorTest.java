package io.github.imagify.evaluate;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import io.github.imagify.data.TrainingImages;
import io.github.imagify.degrade.DegradationSpec;
import io.github.imagify.degrade.GaussianNoise;
import io.github.imagify.degrade.VolumeDegradations;
import io.github.imagify.image.FloatImage;
import io.github.imagify.image.FloatVolume;
import io.github.imagify.image.Normalization;
import io.github.imagify.imagej.ImagePlusImages;
import io.github.imagify.imagej.restore.ModelChoice;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.metrics.Metrics;
import io.github.imagify.modelfile.ModelFile;
import io.github.imagify.onnx.TestModels3d;
import io.github.imagify.restore.RestoreListener;
import io.github.imagify.restore.Restorer;
import io.github.imagify.testing.TestImages;

/** The evaluation with the real bundled denoiser and real files. */
class EvaluatorTest {

	@TempDir
	Path dir;

	static DegradationSpec noise(String sigma) {
		return DegradationSpec.of("gaussian_noise", "", sigma, 30, 2);
	}

	@Test
	void scoresEachImageWithTheBundledDenoiserAndTheClassicFilters() throws Exception {
		Path folder = TestImages.folder(dir, "clean", 2, 56, 11);
		try (ModelChoice models = new ModelChoice("", 256, 1, s -> {})) {
			List<Evaluator.Row> rows = new Evaluator(models, noise("25"), 7, true).evaluate(folder, null, RestoreListener.SILENT);
			assertEquals(List.of("img0.png", "img1.png"), rows.stream().map(Evaluator.Row::image).toList());
			assertEquals(List.of("degraded", "imagify", "gaussian", "median", "nlm", "bm3d"), Evaluator.methods(rows));
			// the degraded score is that of the documented protocol: Random(seed) per image, not clipped
			FloatImage clean = ImagePlusImages.plane(ImageFiles.read(folder.resolve("img1.png")), 1);
			FloatImage noisy = new GaussianNoise(25).apply(clean, 255, new Random(7));
			assertEquals(Metrics.psnr(clean, noisy, 255), rows.get(1).scores().get("degraded").psnr(), 1e-9);
			for (Evaluator.Row r : rows) {
				double degraded = r.scores().get("degraded").psnr();
				assertTrue(r.scores().get("imagify").psnr() > degraded + 5, Evaluator.format(r));
				assertTrue(r.scores().get("nlm").psnr() > degraded + 3, Evaluator.format(r));
				assertTrue(r.scores().get("bm3d").psnr() > degraded + 3, Evaluator.format(r));
			}
			Evaluator.Row mean = Evaluator.mean(rows);
			assertEquals((rows.get(0).scores().get("imagify").psnr() + rows.get(1).scores().get("imagify").psnr()) / 2,
					mean.scores().get("imagify").psnr(), 1e-12);
			String[] csv = Evaluator.csv(rows).split("\n");
			assertEquals("image,degraded_psnr,degraded_ssim,imagify_psnr,imagify_ssim,gaussian_psnr,gaussian_ssim,median_psnr,median_ssim,nlm_psnr,nlm_ssim,bm3d_psnr,bm3d_ssim", csv[0]);
			assertEquals(4, csv.length);
			assertTrue(csv[3].startsWith("mean,"));
		}
	}

	@Test
	void pairsGiveTheSameScoresAsTheSameDegradationMadeOnTheFly() throws Exception {
		Path clean = dir.resolve("clean.tif");
		ImagePlus image = new ImagePlus("clean", TestImages.blobs(56, 56, 3));
		ImageFiles.write(image, clean);
		FloatImage plane = ImagePlusImages.plane(image, 1);
		// a 32-bit clean image: strengths are relative to its percentile range, as in training
		FloatImage noisy = new GaussianNoise(15).apply(plane, TrainingImages.dataRange(32, plane, Normalization.DEFAULT), new Random(9));
		Path partner = Files.createDirectories(dir.resolve("noisy")).resolve("clean.tif");
		ImageFiles.write(new ImagePlus("noisy", ImagePlusImages.toProcessor(noisy, false)), partner);
		try (ModelChoice models = new ModelChoice("", 256, 1, s -> {})) {
			// an 8-bit clean image with its noisy partner as 32-bit (noisy data is not quantised): scored as Evaluate scores
			// its own degradation of the 8-bit image (peak 255, clipped result)
			FloatImage noisy8 = new GaussianNoise(15).apply(plane, TrainingImages.dataRange(8, plane, Normalization.DEFAULT), new Random(9));
			Path partner8 = Files.createDirectories(dir.resolve("noisy8")).resolve("clean.tif");
			ImageFiles.write(new ImagePlus("noisy", ImagePlusImages.toProcessor(noisy8, false)), partner8);
			List<Evaluator.Row> pairs8 = new Evaluator(models, noise("15"), 0, false).evaluate(clean, partner8.getParent(), RestoreListener.SILENT);
			List<Evaluator.Row> synthetic8 = new Evaluator(models, noise("15"), 9, false).evaluate(clean, null, RestoreListener.SILENT);
			assertEquals(synthetic8.get(0).scores().get("imagify").psnr(), pairs8.get(0).scores().get("imagify").psnr(), 1e-6);
			// pairs must hold the same pixels: an RGB partner of a grey image is refused with a clear message
			Path rgb = Files.createDirectories(dir.resolve("rgb")).resolve("clean.tif");
			ImageFiles.write(new ImagePlus("rgb", TestImages.rgb(56, 56, 3)), rgb);
			Exception e = assertThrows(Exception.class, () -> new Evaluator(models, noise("15"), 9, false).evaluate(clean, rgb.getParent(), RestoreListener.SILENT));
			assertTrue(e.getMessage().contains("differ in size or type"), e.getMessage());
			Path cleanFloat = dir.resolve("float").resolve("clean.tif");
			Files.createDirectories(cleanFloat.getParent());
			ImageFiles.write(new ImagePlus("c", image.getProcessor().convertToFloatProcessor()), cleanFloat);
			List<Evaluator.Row> pairs = new Evaluator(models, noise("15"), 0, false).evaluate(cleanFloat, partner.getParent(), RestoreListener.SILENT);
			List<Evaluator.Row> synthetic = new Evaluator(models, noise("15"), 9, false).evaluate(cleanFloat, null, RestoreListener.SILENT);
			assertEquals(synthetic.get(0).scores().get("degraded").psnr(), pairs.get(0).scores().get("degraded").psnr(), 1e-6);
			assertEquals(synthetic.get(0).scores().get("imagify").psnr(), pairs.get(0).scores().get("imagify").psnr(), 1e-6);
			Exception missing = assertThrows(Exception.class,
					() -> new Evaluator(models, noise("15"), 0, false).evaluate(clean, Files.createDirectories(dir.resolve("empty")), RestoreListener.SILENT));
			assertTrue(missing.getMessage().contains("No degraded partner of clean.tif"), missing.getMessage());
		}
	}

	@Test
	void theBundledDeblurModelIsComparedWithRichardsonLucyAndRangesAreRefused() throws Exception {
		Path clean = dir.resolve("c.png");
		ImageFiles.write(new ImagePlus("c", TestImages.blobs(64, 64, 4)), clean);
		try (ModelChoice models = new ModelChoice("deblur", 256, 1, 1, 2.0, s -> {})) { // told the true blur, as Evaluate does
			DegradationSpec blur = DegradationSpec.of("gaussian_blur", "2", "2", 30, 2);
			List<Evaluator.Row> rows = new Evaluator(models, blur, 1, true).evaluate(clean, null, RestoreListener.SILENT);
			assertEquals(List.of("degraded", "imagify", "richardson_lucy"), Evaluator.methods(rows));
			double degraded = rows.get(0).scores().get("degraded").psnr();
			assertTrue(rows.get(0).scores().get("richardson_lucy").psnr() > degraded, Evaluator.format(rows.get(0)));
			assertTrue(rows.get(0).scores().get("imagify").psnr() > degraded + 2, Evaluator.format(rows.get(0))); // the denoiser: +1.3 dB
			IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Evaluator(models, noise("0-55"), 1, false));
			assertTrue(e.getMessage().contains("not ranges"));
		}
	}

	/**
	 * A 3D model scores each Z-stack of a hyperstack (2 channels x 2 time points of 8 planes) as one volume, as Denoise
	 * restores it: one row per volume, PSNR over its voxels and SSIM over its planes, from a degraded partner or from
	 * noise on every voxel, equal to the same restore and metrics done here; with compare=true the classic filters go plane
	 * by plane, their best setting chosen over the whole stack.
	 */
	@Test
	void aThreeDimensionalModelIsScoredVolumeByVolume() throws Exception {
		Path modelFile = dir.resolve("tiny-3d.zip");
		TestModels3d.tinyUNet(true, 2, 7).write(modelFile);
		int channels = 2, slices = 8, frames = 2, size = 24;
		ImageStack cleanStack = new ImageStack(size, size), noisyStack = new ImageStack(size, size);
		Random random = new Random(4);
		for (int i = 0; i < channels * slices * frames; i++) {
			ShortProcessor clean = new ShortProcessor(size, size);
			FloatProcessor noisy = new FloatProcessor(size, size);
			for (int p = 0; p < size * size; p++) {
				int v = 1000 + (p % size) * 40 + i * 20;
				clean.set(p, v);
				noisy.setf(p, (float) (v + 150 * random.nextGaussian()));
			}
			cleanStack.addSlice(clean);
			noisyStack.addSlice(noisy);
		}
		Path clean = dir.resolve("cells.tif"), partner = Files.createDirectories(dir.resolve("noisy")).resolve("cells.tif");
		ImagePlus cleanImage = hyperstack(cleanStack, channels, slices, frames), noisyImage = hyperstack(noisyStack, channels, slices, frames);
		ImageFiles.write(cleanImage, clean);
		ImageFiles.write(noisyImage, partner);

		try (ModelChoice models = new ModelChoice(modelFile.toString(), Restorer.AUTOMATIC_TILE_SIZE, 1, s -> {});
				Restorer restorer = new Restorer(ModelFile.read(modelFile), Restorer.AUTOMATIC_TILE_SIZE, 1)) {
			List<Evaluator.Row> pairs = new Evaluator(models, noise("15"), 0, false).evaluate(clean, partner.getParent(), RestoreListener.SILENT);
			assertEquals(List.of("cells.tif#c1t1", "cells.tif#c2t1", "cells.tif#c1t2", "cells.tif#c2t2"), pairs.stream().map(Evaluator.Row::image).toList());
			FloatVolume truth = volume(cleanImage, 2, 1), noisy = volume(noisyImage, 2, 1);
			double range = TrainingImages.dataRange(16, truth.asPlanes(), Normalization.DEFAULT);
			FloatImage restored = restorer.restore(noisy, null).asPlanes();
			Evaluator.Row row = pairs.get(1);
			assertEquals(Metrics.psnr(truth.asPlanes(), noisy.asPlanes(), range), row.scores().get("degraded").psnr(), 1e-9);
			assertEquals(Metrics.psnr(truth.asPlanes(), restored, range), row.scores().get("imagify").psnr(), 1e-9);
			assertEquals(Metrics.ssim(truth.asPlanes(), restored, range), row.scores().get("imagify").ssim(), 1e-9);

			List<Evaluator.Row> synthetic = new Evaluator(models, noise("15"), 9, false).evaluate(clean, null, RestoreListener.SILENT);
			assertEquals(4, synthetic.size());
			FloatVolume degraded = VolumeDegradations.of(noise("15"), "").apply(truth, range, new Random(9));
			assertEquals(Metrics.psnr(truth.asPlanes(), degraded.asPlanes(), range), synthetic.get(1).scores().get("degraded").psnr(), 1e-9);
			assertEquals(Metrics.psnr(truth.asPlanes(), restorer.restore(degraded, null).asPlanes(), range), synthetic.get(1).scores().get("imagify").psnr(), 1e-9);


			// compare: the classic filters restore the stack plane by plane, each setting scored over the whole stack
			Evaluator.Row compared = new Evaluator(models, noise("15"), 0, true).evaluate(clean, partner.getParent(), RestoreListener.SILENT).get(1);
			assertEquals(List.of("degraded", "imagify", "gaussian", "median", "nlm", "bm3d"), List.copyOf(compared.scores().keySet()));
			assertEquals(row.scores().get("imagify").psnr(), compared.scores().get("imagify").psnr(), 1e-9);
			double bestGaussian = Double.NEGATIVE_INFINITY;
			for (double sigma : ClassicBaselines.GAUSSIAN_SIGMAS) {
				FloatImage blurred = new FloatImage(slices, size, size);
				for (int z = 0; z < slices; z++) {
					FloatImage plane = new FloatImage(1, size, size, java.util.Arrays.copyOfRange(noisy.data(), z * size * size, (z + 1) * size * size));
					System.arraycopy(io.github.imagify.degrade.GaussianBlur.blur(plane, sigma).data(), 0, blurred.data(), z * size * size, size * size);
				}
				bestGaussian = Math.max(bestGaussian, Metrics.psnr(truth.asPlanes(), blurred, range));
			}
			assertEquals(bestGaussian, compared.scores().get("gaussian").psnr(), 1e-9);
		}
	}

	private static ImagePlus hyperstack(ImageStack stack, int channels, int slices, int frames) {
		ImagePlus imp = new ImagePlus("cells", stack);
		imp.setDimensions(channels, slices, frames);
		imp.setOpenAsHyperStack(true);
		return imp;
	}

	/** Channel {@code c}, time point {@code t} (1-based) of a grey hyperstack as a volume, read here plane by plane. */
	private static FloatVolume volume(ImagePlus imp, int c, int t) {
		int slices = imp.getNSlices(), n = imp.getWidth() * imp.getHeight();
		FloatVolume v = new FloatVolume(1, slices, imp.getHeight(), imp.getWidth());
		for (int z = 1; z <= slices; z++) {
			ij.process.ImageProcessor ip = imp.getStack().getProcessor(imp.getStackIndex(c, z, t));
			for (int p = 0; p < n; p++) v.data()[(z - 1) * n + p] = ip.getf(p);
		}
		return v;
	}
}
