package io.github.imagify.command;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.ImagePlus;
import io.github.imagify.bundled.BundledModels;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.modelfile.ModelFile;
import io.github.imagify.testing.TestImages;
import io.github.imagify.testing.TestModels;
import io.github.imagify.testing.TestVolumes;

/** Both commands run through a real SciJava Context and CommandService, as Fiji runs them. */
class CommandsTest {

	static Context context;
	static CommandService commands;

	@TempDir
	Path dir;

	@BeforeAll
	static void start() {
		context = new Context();
		commands = context.service(CommandService.class);
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	CommandModule run(Class<? extends org.scijava.command.Command> c, Map<String, Object> inputs) throws Exception {
		return commands.run(c, true, inputs).get();
	}

	@Test
	void commandsAreFoundUnderTheirFijiNames() {
		assertNotNull(io.github.imagify.cli.Main.find(commands, "Imagify Denoise"));
		assertNotNull(io.github.imagify.cli.Main.find(commands, "Imagify Train"));
		assertNotNull(io.github.imagify.cli.Main.find(commands, "Imagify Evaluate"));
		assertEquals("Plugins > Imagify > Imagify Denoise", commands.getCommand(DenoiseCommand.class).getMenuPath().getMenuString());
	}

	/** The Denoise dialog says, under the model, whether it restores plane by plane or each Z-stack as one volume. */
	@Test
	void denoiseDialogSaysWhenA3dModelWillBeUsed() throws Exception {
		Path model3d = dir.resolve("unet3d.zip");
		io.github.imagify.onnx.TestModels3d.tinyUNet(false, 2, 8).write(model3d);
		org.scijava.command.CommandInfo info = commands.getCommand(DenoiseCommand.class);
		org.scijava.module.Module dialog = context.service(org.scijava.module.ModuleService.class).createModule(info);
		assertEquals(org.scijava.ItemVisibility.MESSAGE, info.getInput("model_kind").getVisibility());
		dialog.initialize();
		assertEquals(io.github.imagify.imagej.restore.ModelChoice.PLANE_BY_PLANE, dialog.getInput("model_kind"));
		dialog.setInput("model", model3d.toString());
		info.getInput("model").callback(dialog);
		assertEquals(io.github.imagify.imagej.restore.ModelChoice.VOLUME_BY_VOLUME, dialog.getInput("model_kind"));
		dialog.setInput("model", BundledModels.DEBLUR);
		info.getInput("model").callback(dialog);
		assertEquals(io.github.imagify.imagej.restore.ModelChoice.PLANE_BY_PLANE, dialog.getInput("model_kind"));
		dialog.setInput("model", dir.resolve("missing.zip").toString());
		info.getInput("model").callback(dialog);
		String said = (String) dialog.getInput("model_kind");
		assertTrue(said.contains("missing.zip") && said.contains("model file not found") && !said.contains("\n"), said);
	}

	@Test
	void denoiseRestoresTheGivenImageWithTheBundledModel() throws Exception {
		ImagePlus noisy = new ImagePlus("noisy.png", TestImages.blobs(70, 60, 3));
		byte[] before = ((byte[]) noisy.getProcessor().getPixels()).clone();
		CommandModule m = run(DenoiseCommand.class, Map.of("image", noisy));
		assertFalse(m.isCanceled(), m.getCancelReason());
		ImagePlus restored = (ImagePlus) m.getOutput("restored");
		assertEquals(70, restored.getWidth());
		assertEquals(60, restored.getHeight());
		assertEquals(32, restored.getBitDepth());
		assertArrayEquals(before, (byte[]) noisy.getProcessor().getPixels());
		// a denoiser keeps the image's intensities: mean within a few grey levels
		assertEquals(noisy.getStatistics().mean, restored.getStatistics().mean, 5);
		assertNotNull(BundledModels.load(BundledModels.DEFAULT_GRAY));
	}

	@Test
	void denoiseRestoresFilesWithAModelFile() throws Exception {
		Path model = dir.resolve("m.zip");
		TestModels.randomModel(1, 2, 4, 1).write(model);
		Path in = dir.resolve("in.tif");
		ImageFiles.write(new ImagePlus("in", TestImages.blobs(40, 30, 1)), in);
		Path out = dir.resolve("out.tif");
		CommandModule m = run(DenoiseCommand.class, Map.of("input", in.toString(), "output", out.toString(), "model", model.toString()));
		assertFalse(m.isCanceled(), m.getCancelReason());
		assertEquals(40, ImageFiles.read(out).getWidth());
	}

	@Test
	void denoiseFailuresCancelWithOneClearLine() throws Exception {
		CommandModule none = run(DenoiseCommand.class, Map.of());
		assertTrue(none.isCanceled());
		assertTrue(none.getCancelReason().contains("No image to restore"), none.getCancelReason());

		Path in = dir.resolve("in.tif");
		ImageFiles.write(new ImagePlus("in", TestImages.blobs(20, 20, 1)), in);
		byte[] before = Files.readAllBytes(in);
		CommandModule same = run(DenoiseCommand.class, Map.of("input", in.toString(), "output", in.toString()));
		assertTrue(same.isCanceled());
		assertTrue(same.getCancelReason().contains("same as 'input'"), same.getCancelReason());
		assertArrayEquals(before, Files.readAllBytes(in));

		CommandModule badModel = run(DenoiseCommand.class, Map.of("input", in.toString(), "output", dir.resolve("o.tif").toString(),
				"model", in.toString()));
		assertTrue(badModel.isCanceled());
		assertTrue(badModel.getCancelReason().contains("not an Imagify model"), badModel.getCancelReason());
		assertFalse(badModel.getCancelReason().contains("\n"));
	}

	@Test
	void trainWritesAModelThatDenoiseUses() throws Exception {
		Path images = TestImages.folder(dir, "clean", 2, 64, 5);
		Path model = dir.resolve("trained.zip");
		CommandModule m = run(TrainCommand.class, Map.of("images", images.toString(), "model_out", model.toString(),
				"patch_size", 32, "batch_size", 4, "epochs", 2, "steps_per_epoch", 3, "depth", 2, "base_filters", 4, "model_name", "my-denoiser"));
		assertFalse(m.isCanceled(), m.getCancelReason());
		assertEquals(model.toFile(), m.getOutput("model_file"));
		assertEquals(2, ((Number) ModelFile.read(model).info().training().get("epochs_done")).intValue());
		assertEquals("my-denoiser", ModelFile.read(model).info().name());
		ij.measure.ResultsTable table = ij.measure.ResultsTable.getResultsTable(); // per-epoch figures for macros
		assertEquals(2, table.size());
		assertEquals(2, table.getValue("epoch", 1));
		assertTrue(table.getValue("validation_psnr", 1) > 10);

		Path tuned = dir.resolve("tuned.zip");
		Map<String, Object> fineTune = new java.util.HashMap<>(Map.of("images", images.toString(), "model_out", tuned.toString(),
				"start_from", model.toString(), "patch_size", 32, "batch_size", 4, "epochs", 1, "steps_per_epoch", 3, "depth", 2, "base_filters", 4));
		fineTune.putAll(Map.of("noise_sigma", "0-55", "noise_sigma_draw", "favour_low"));
		CommandModule t = run(TrainCommand.class, fineTune);
		assertFalse(t.isCanceled(), t.getCancelReason());
		assertEquals("my-denoiser", ModelFile.read(tuned).info().training().get("start_from"));
		assertEquals("tuned", ModelFile.read(tuned).info().name());
		assertEquals("favour_low", ModelFile.read(tuned).info().degradation().get("noise_sigma_draw"));
		assertTrue(ModelFile.read(tuned).info().description().contains("low sigmas favoured"), ModelFile.read(tuned).info().description());

		CommandModule d = run(DenoiseCommand.class, Map.of("image", new ImagePlus("x", TestImages.blobs(33, 47, 9)), "model", model.toString()));
		assertFalse(d.isCanceled(), d.getCancelReason());
		assertEquals(33, ((ImagePlus) d.getOutput("restored")).getWidth());

		CommandModule bad = run(TrainCommand.class, Map.of("images", images.toString(), "model_out", dir.resolve("x.zip").toString(),
				"degradation", "gaussian_noise", "noise_sigma", "-5"));
		assertTrue(bad.isCanceled());
		assertTrue(bad.getCancelReason().contains("noise_sigma"), bad.getCancelReason());
		assertFalse(new File(dir.toFile(), "x.zip").exists());
	}

	/**
	 * noise2void through the Train command's own keys, with N2V2's and structN2V's options and a clean reference: the
	 * model file records them, the Results table has the PSNR against the clean images, and Denoise logs the method
	 * (in the model's description) and restores with the model.
	 */
	@Test
	void noise2voidTrainsThroughTheCommandsKeysAndDenoiseSaysSo() throws Exception {
		Path noisy = TestImages.floatStacks(dir, "noisy", 1, 2, 64, 3, 0, 20, 1), clean = TestImages.floatStacks(dir, "clean", 1, 2, 64, 3, 0, 0, 0);
		Path model = dir.resolve("n2v.zip");
		Map<String, Object> keys = new java.util.HashMap<>(Map.of("method", "noise2void", "images", noisy.toString(), "clean", clean.toString(),
				"model_out", model.toString(), "patch_size", 32, "batch_size", 4, "epochs", 1, "steps_per_epoch", 3, "depth", 2, "base_filters", 4));
		keys.putAll(Map.of("masked_fraction", 0.01, "mask_neighbourhood", 7, "mask_replacement", "median", "struct_mask", "vertical",
				"struct_mask_span", 3, "top_skip", false, "blur_pool", true, "direct", true));
		CommandModule m = run(TrainCommand.class, keys);
		assertFalse(m.isCanceled(), m.getCancelReason());
		ModelFile file = ModelFile.read(model);
		assertEquals(Map.of("masked_fraction", 0.01, "mask_neighbourhood", 7.0, "mask_replacement", "median", "struct_mask", "vertical",
				"struct_mask_span", 3.0), file.info().training().get("masking"));
		assertEquals(false, file.info().network().get("top_skip"));
		assertEquals(true, file.info().network().get("blur_pool"));
		ij.measure.ResultsTable table = ij.measure.ResultsTable.getResultsTable();
		assertTrue(table.getValue("clean_psnr", 0) > 10, "the PSNR against the clean images, per epoch");

		List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
		org.scijava.log.LogListener listener = message -> logged.add(message.text());
		context.service(org.scijava.log.LogService.class).addLogListener(listener);
		try {
			CommandModule d = run(DenoiseCommand.class, Map.of("image", new ImagePlus("x", TestImages.blobs(40, 40, 9)), "model", model.toString()));
			assertFalse(d.isCanceled(), d.getCancelReason());
		} finally {
			context.service(org.scijava.log.LogService.class).removeLogListener(listener);
		}
		assertTrue(logged.stream().anyMatch(l -> l.startsWith("Imagify Denoise: model 'n2v' (") && l.contains("trained self-supervised with noise2void")),
				logged.toString());
	}

	/**
	 * neighbor2neighbor on the open image, with no folder given (N2V's "train on this image" in Fiji): every plane of the
	 * open 32-bit stack is learnt from, the open image is left as it was, and the model file names it; with no image
	 * open and no folder, one line says what to give.
	 */
	@Test
	void selfSupervisedTrainingLearnsFromTheOpenImage() throws Exception {
		ImagePlus open = ImageFiles.read(TestImages.floatStacks(dir, "noisy", 1, 3, 64, 5, -50, 20, 1).resolve("img0.tif"));
		open.setTitle("my noisy stack.tif");
		float[] before = ((float[]) open.getStack().getPixels(2)).clone();
		Path model = dir.resolve("ne2ne.zip");
		Map<String, Object> keys = Map.of("method", "neighbor2neighbor", "model_out", model.toString(), "patch_size", 32, "batch_size", 4, "epochs", 1,
				"steps_per_epoch", 3, "depth", 2, "base_filters", 4);
		Map<String, Object> withImage = new java.util.HashMap<>(keys);
		withImage.put("image", open); // as Fiji's preprocessor fills it with the active image
		CommandModule m = run(TrainCommand.class, withImage);
		assertFalse(m.isCanceled(), m.getCancelReason());
		assertArrayEquals(before, (float[]) open.getStack().getPixels(2));
		Map<String, Object> record = ModelFile.read(model).info().training();
		assertEquals(List.of("my noisy stack.tif#1", "my noisy stack.tif#2", "my noisy stack.tif#3"), record.get("image_files"));
		assertEquals(3.0, record.get("planes"));
		assertTrue(record.get("images").toString().endsWith("ne2ne.zip.images"), record.toString());

		CommandModule none = run(TrainCommand.class, Map.of("method", "neighbor2neighbor", "model_out", dir.resolve("x.zip").toString()));
		assertTrue(none.isCanceled());
		assertTrue(none.getCancelReason().contains("'images' is not set; give a folder of noisy training images, or in Fiji open the noisy image to train on"),
				none.getCancelReason());
	}

	/**
	 * Fiji with an open Z-stack: noise2void (structN2V) with dims=3d and no folder trains a 3D model on the open 16-bit stack, whose
	 * calibration (0.1 x 0.3 um voxels, 3x coarser in Z) reaches the training through the copy, so the network does not
	 * pool in Z; the open stack is left as it was, and the model restores it through Denoise as one volume.
	 */
	@Test
	void threeDimensionalTrainingLearnsFromTheOpenZStack() throws Exception {
		TestVolumes.Volumes v = TestVolumes.filamentsAndBlobs(TestVolumes.Spec.of(21).withSize(16, 48, 48).withPeak(20));
		ImagePlus open = ImageFiles.read(TestVolumes.write(v.noisy(), dir.resolve("open-stack.tif"), 16));
		assertEquals(0.3, open.getCalibration().pixelDepth, 1e-9);
		short[] before = ((short[]) open.getStack().getPixels(5)).clone();
		Path model = dir.resolve("n2v3d.zip");
		Map<String, Object> keys = new java.util.HashMap<>(Map.of("method", "noise2void", "dims", "3d", "model_out", model.toString(), "patch_size", 16,
				"patch_planes", 8, "batch_size", 2, "epochs", 1, "steps_per_epoch", 3, "depth", 2, "base_filters", 4));
		keys.put("struct_mask", "horizontal"); // structN2V, each masked voxel's line in X within its plane
		keys.put("image", open); // as Fiji's preprocessor fills it with the active image
		CommandModule m = run(TrainCommand.class, keys);
		assertFalse(m.isCanceled(), m.getCancelReason());
		assertArrayEquals(before, (short[]) open.getStack().getPixels(5));
		ModelFile trained = ModelFile.read(model);
		assertTrue(trained.info().is3d());
		assertEquals(false, trained.info().network().get("pool_z"), "the open stack's voxel depth decides pooling in Z");
		assertTrue(trained.info().training().get("images").toString().endsWith("n2v3d.zip.images"), trained.info().training().toString());
		assertTrue(trained.info().training().toString().contains("horizontal"), trained.info().training().toString());

		CommandModule restored = run(DenoiseCommand.class, Map.of("image", open, "model", model.toString()));
		assertFalse(restored.isCanceled(), restored.getCancelReason());
		ImagePlus result = (ImagePlus) restored.getOutput("restored");
		assertArrayEquals(open.getDimensions(), result.getDimensions());
		assertEquals(0.3, result.getCalibration().pixelDepth, 1e-9);
	}

	@Test
	void outputTypeChoosesFloatOrTheInputsBitDepth() throws Exception {
		ImagePlus sixteen = new ImagePlus("s.tif", TestImages.blobs(64, 60, 2).convertToShortProcessor(false));
		CommandModule asFloat = run(DenoiseCommand.class, Map.of("image", sixteen));
		assertEquals(32, ((ImagePlus) asFloat.getOutput("restored")).getBitDepth());
		CommandModule asInput = run(DenoiseCommand.class, Map.of("image", sixteen, "output_type", "input"));
		ImagePlus kept = (ImagePlus) asInput.getOutput("restored");
		assertEquals(16, kept.getBitDepth());
		assertEquals(Math.round(((ImagePlus) asFloat.getOutput("restored")).getProcessor().getf(10, 10)), kept.getProcessor().get(10, 10));

		Path in = dir.resolve("in16.tif");
		ImageFiles.write(sixteen, in);
		Path out = dir.resolve("out16.tif");
		assertFalse(run(DenoiseCommand.class, Map.of("input", in.toString(), "output", out.toString(), "output_type", "input")).isCanceled());
		assertEquals(16, ImageFiles.read(out).getBitDepth());
		CommandModule bad = run(DenoiseCommand.class, Map.of("image", sixteen, "output_type", "double"));
		assertTrue(bad.isCanceled());
		assertTrue(bad.getCancelReason().contains("output_type"), bad.getCancelReason());
	}

	@Test
	void evaluateFillsTheResultsTableAndWritesACsv() throws Exception {
		Path images = TestImages.folder(dir, "clean", 2, 56, 21);
		Path csv = dir.resolve("scores.csv");
		CommandModule m = run(EvaluateCommand.class, Map.of("images", images.toString(), "noise_sigma", "20", "output", csv.toString()));
		assertFalse(m.isCanceled(), m.getCancelReason());
		List<String> lines = Files.readAllLines(csv);
		assertEquals(4, lines.size());
		assertTrue(lines.get(0).startsWith("image,degraded_psnr,degraded_ssim,imagify_psnr"), lines.get(0));
		ij.measure.ResultsTable table = ij.measure.ResultsTable.getResultsTable();
		assertEquals(3, table.size());
		assertEquals("mean", table.getLabel(2));
		assertTrue(table.getValue("imagify_psnr", 2) > table.getValue("degraded_psnr", 2) + 3);

		CommandModule range = run(EvaluateCommand.class, Map.of("images", images.toString(), "noise_sigma", "0-55"));
		assertTrue(range.isCanceled());
		assertTrue(range.getCancelReason().contains("run it once per value"), range.getCancelReason());
		CommandModule missing = run(EvaluateCommand.class, Map.of("images", dir.resolve("nope").toString()));
		assertTrue(missing.isCanceled());
		assertTrue(missing.getCancelReason().contains("not found"), missing.getCancelReason());
	}

	/** A model told the blur, through the commands: Train writes one, Denoise needs blur_sigma, Evaluate tells it the true blur. */
	@Test
	void aModelToldTheBlurGoesThroughTrainDenoiseAndEvaluate() throws Exception {
		Path images = TestImages.folder(dir, "clean", 2, 64, 5);
		Path model = dir.resolve("told.zip");
		Map<String, Object> train = new java.util.HashMap<>(Map.of("images", images.toString(), "model_out", model.toString(),
				"degradation", "gaussian_blur", "blur_sigma", "1-2", "blur_known", true));
		train.putAll(Map.of("patch_size", 32, "batch_size", 4, "epochs", 1, "steps_per_epoch", 2, "depth", 2, "base_filters", 4));
		CommandModule t = run(TrainCommand.class, train);
		assertFalse(t.isCanceled(), t.getCancelReason());
		assertEquals("blur_sigma", ModelFile.read(model).info().condition());

		ImagePlus blurred = new ImagePlus("b", TestImages.blobs(48, 40, 2));
		CommandModule none = run(DenoiseCommand.class, Map.of("image", blurred, "model", model.toString()));
		assertTrue(none.isCanceled());
		assertTrue(none.getCancelReason().contains("is told the blur: give blur_sigma"), none.getCancelReason());
		CommandModule bad = run(DenoiseCommand.class, Map.of("image", blurred, "model", model.toString(), "blur_sigma", "wide"));
		assertTrue(bad.isCanceled());
		assertTrue(bad.getCancelReason().contains("blur_sigma must be the images' Gaussian blur sigma in pixels"), bad.getCancelReason());
		CommandModule outside = run(DenoiseCommand.class, Map.of("image", blurred, "model", model.toString(), "blur_sigma", "2.5"));
		assertTrue(outside.getCancelReason().contains("outside the 1-2 px"), outside.getCancelReason());
		CommandModule ok = run(DenoiseCommand.class, Map.of("image", blurred, "model", model.toString(), "blur_sigma", "1.5"));
		assertFalse(ok.isCanceled(), ok.getCancelReason());
		assertEquals(48, ((ImagePlus) ok.getOutput("restored")).getWidth());

		CommandModule e = run(EvaluateCommand.class, Map.of("images", images.toString(), "model", model.toString(), "degradation", "gaussian_blur",
				"blur_sigma", "1.5"));
		assertFalse(e.isCanceled(), e.getCancelReason());
		assertTrue(ij.measure.ResultsTable.getResultsTable().getValue("imagify_psnr", 2) > 10);
	}
}
