package io.github.imagify.train;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.imagify.degrade.DegradationSpec;
import io.github.imagify.image.FloatImage;
import io.github.imagify.metrics.Metrics;
import io.github.imagify.model.UNet;
import io.github.imagify.model.UNetSpec;
import io.github.imagify.modelfile.ModelFile;
import io.github.imagify.restore.Restorer;
import io.github.imagify.testing.TestImages;
import io.github.imagify.testing.TestVolumes;
import io.github.imagify.image.FloatVolume;

/** Real DL4J training on tiny shapes, real checkpoints on disk, the model read back by ONNX Runtime. */
class TrainerTest {

	@TempDir
	Path dir;

	/** A tiny U-Net on 32x32 patches (depth 2, 8 base filters, no dropout, seed 5), started afresh; each test sets the rest by name. */
	static TrainingConfig.Builder tiny(Path images, DegradationSpec degradation, Path out) {
		return TrainingConfig.builder().images(images).degradation(degradation).modelOut(out).patchSize(32).depth(2).baseFilters(8).dropout(0)
				.seed(5).resume(false);
	}

	TrainingConfig config(Path images, Path out, int epochs, boolean resume) {
		return tiny(images, DegradationSpec.of("gaussian_noise", "", "30", 0, 2), out).epochs(epochs).stepsPerEpoch(12).learningRate(3e-3)
				.resume(resume).build();
	}

	@Test
	void trainingLowersValidationLossAndWritesARestoringModel() throws Exception {
		Path images = TestImages.folder(dir, "clean", 3, 96, 10);
		Path out = dir.resolve("model.zip");
		List<String> log = new java.util.ArrayList<>();
		Trainer.Result r = new Trainer(config(images, out, 4, false), new TrainingListener() {
			@Override
			public void log(String message) {
				System.out.println(message);
				log.add(message);
			}
		}).train();
		assertEquals(4, r.history().size());
		if (com.sun.jna.Platform.isLinux()) // glibc keeps oneDNN's large buffers for reuse (README, training speed)
			assertTrue(log.stream().anyMatch(line -> line.startsWith("oneDNN buffers: reused")), log.toString());
		double first = r.history().get(0).validationLoss();
		assertTrue(r.bestValidationLoss() < first, "validation loss " + first + " -> " + r.bestValidationLoss());
		assertTrue(r.history().get(3).learningRate() < r.history().get(0).learningRate(), "the rate decays at the end");

		ModelFile model = ModelFile.read(out);
		assertEquals(1, model.info().channels());
		assertEquals(4, model.info().sizeMultiple());
		assertEquals(r.bestEpoch(), ((Number) model.info().training().get("best_epoch")).intValue());
		assertEquals("gaussian_noise", model.info().degradation().get("type"));
		assertEquals(List.of("img0.png", "img1.png", "img2.png"), model.info().training().get("image_files"), "the model records its training data");

		// the written model denoises: a noisy image gets closer to its clean version
		FloatImage clean = io.github.imagify.imagej.ImagePlusImages.plane(new ij.ImagePlus("c", TestImages.blobs(64, 64, 99)), 1);
		FloatImage noisy = DegradationSpec.of("gaussian_noise", "", "30", 0, 2).toDegradation().apply(clean, 255, new java.util.Random(1));
		try (Restorer restorer = new Restorer(model, 64, 1)) {
			FloatImage restored = restorer.restore(noisy, null);
			double before = Metrics.psnr(clean, noisy, 255), after = Metrics.psnr(clean, restored, 255);
			assertTrue(after > before, "PSNR " + before + " -> " + after);
		}
	}

	@Test
	void fineTuningStartsFromAModelsWeightsAndRecordsIt() throws Exception {
		Path images = TestImages.folder(dir, "clean", 3, 96, 10);
		Path first = dir.resolve("first.zip");
		Trainer.Result scratch = new Trainer(config(images, first, 3, false), null).train();
		TrainingConfig fromFirst = tiny(images, DegradationSpec.of("gaussian_noise", "", "30", 0, 2), dir.resolve("tuned.zip"))
				.epochs(1).stepsPerEpoch(12).learningRate(3e-3).startFrom(first.toString()).build();
		List<String> log = new java.util.ArrayList<>();
		Trainer.Result tuned = new Trainer(fromFirst, new TrainingListener() {
			@Override
			public void log(String message) { log.add(message); }
		}).train();
		assertTrue(log.stream().anyMatch(l -> l.startsWith("Starting from the weights of model 'first'")), log.toString());
		// one epoch from the trained weights ends below where the same epoch from scratch ended
		assertTrue(tuned.history().get(0).validationLoss() < scratch.history().get(0).validationLoss(),
				tuned.history().get(0) + " vs " + scratch.history().get(0));
		Map<String, Object> record = ModelFile.read(dir.resolve("tuned.zip")).info().training();
		assertEquals("first", record.get("start_from"));
		List<?> chain = (List<?>) record.get("start_from_chain");
		assertEquals("first", ((Map<?, ?>) chain.get(0)).get("model"));
		assertEquals(3.0, ((Number) ((Map<?, ?>) ((Map<?, ?>) chain.get(0)).get("training")).get("epochs")).doubleValue());
		// fine-tuned again: the chain grows by one entry, nearest first, and its nesting stays the same
		TrainingConfig again = tiny(images, DegradationSpec.of("gaussian_noise", "", "30", 0, 2), dir.resolve("again.zip"))
				.epochs(1).stepsPerEpoch(12).startFrom(dir.resolve("tuned.zip").toString()).build();
		new Trainer(again, null).train();
		List<?> longer = (List<?>) ModelFile.read(dir.resolve("again.zip")).info().training().get("start_from_chain");
		assertEquals(List.of("tuned", "first"), longer.stream().map(e -> ((Map<?, ?>) e).get("model")).toList());
		assertFalse(((Map<?, ?>) ((Map<?, ?>) longer.get(0)).get("training")).containsKey("start_from_chain"));

		TrainingConfig otherShape = tiny(images, DegradationSpec.of("gaussian_noise", "", "30", 0, 2), dir.resolve("narrow.zip"))
				.epochs(1).stepsPerEpoch(12).learningRate(3e-3).baseFilters(4).startFrom(first.toString()).build();
		var e = assertThrows(IllegalArgumentException.class, () -> new Trainer(otherShape, null).train());
		assertTrue(e.getMessage().contains("set depth=2,base_filters=8,direct=false (or a larger base_filters)"), e.getMessage());
		assertFalse(java.nio.file.Files.exists(dir.resolve("narrow.zip")));
		Path rgbNetwork = dir.resolve("rgb-network.zip");
		io.github.imagify.testing.TestModels.randomModel(3, 2, 8, 1).write(rgbNetwork);
		TrainingConfig rgbModel = tiny(images, DegradationSpec.of("gaussian_noise", "", "30", 0, 2), dir.resolve("rgb.zip"))
				.epochs(1).stepsPerEpoch(12).learningRate(3e-3).startFrom(rgbNetwork.toString()).build();
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new Trainer(rgbModel, null).train()).getMessage()
				.contains("takes 3-channel images but the training images have 1"));
	}

	/**
	 * as_opponent=true: a grey model trained on the opponent planes of RGB images, which records it and restores an RGB
	 * image (in opponent colours, as any grey model trained on a synthetic degradation does); the key's refusals.
	 */
	@Test
	void opponentPlanesOfRgbImagesTrainAGreyModelThatRestoresRgb() throws Exception {
		Path images = TestImages.rgbFolder(dir, "rgb", 3, 96, 20);
		DegradationSpec noise = DegradationSpec.of("gaussian_noise", "", "30", 0, 2);
		Path out = dir.resolve("opponent.zip");
		List<String> log = new java.util.ArrayList<>();
		Trainer.Result r = new Trainer(tiny(images, noise, out).epochs(4).stepsPerEpoch(12).learningRate(3e-3).asOpponent(true).build(),
				new TrainingListener() {
					@Override
					public void log(String message) { log.add(message); }
				}).train();
		assertTrue(log.stream().anyMatch(l -> l.startsWith("Training on 9 plane(s)")), log.toString());
		assertTrue(r.bestValidationLoss() < r.history().get(0).validationLoss());
		ModelFile model = ModelFile.read(out);
		assertEquals(1, model.info().channels());
		assertEquals(true, model.info().training().get("as_opponent"));
		assertEquals(List.of("c0.png:luminance", "c0.png:red-blue", "c0.png:green-magenta"),
				((List<?>) model.info().training().get("image_files")).subList(0, 3));
		FloatImage clean = io.github.imagify.imagej.ImagePlusImages.plane(new ij.ImagePlus("c", TestImages.rgb(64, 64, 99)), 1);
		FloatImage noisy = noise.toDegradation().apply(clean, 255, new java.util.Random(1));
		try (Restorer restorer = new Restorer(model, 64, 1)) {
			FloatImage restored = restorer.restore(noisy, null);
			assertEquals(3, restored.channels());
			double before = Metrics.psnr(clean, noisy, 255), after = Metrics.psnr(clean, restored, 255);
			assertTrue(after > before, "PSNR " + before + " -> " + after);
		}

		Path grey = TestImages.folder(dir, "grey", 1, 64, 3);
		var both = assertThrows(IllegalArgumentException.class, () -> tiny(images, noise, out).epochs(1).stepsPerEpoch(1)
				.seed(1).asGrey(true).asOpponent(true).build());
		assertTrue(both.getMessage().contains("as_grey and as_opponent"), both.getMessage());
		var pairs = assertThrows(IllegalArgumentException.class, () -> tiny(images, noise, out).degraded(grey).epochs(1).stepsPerEpoch(1)
				.seed(1).asOpponent(true).build());
		assertTrue(pairs.getMessage().contains("needs a synthetic degradation"), pairs.getMessage());
		var poisson = assertThrows(IllegalArgumentException.class, () -> tiny(images, DegradationSpec.of("poisson_noise", "", "", 30, 2), out)
				.epochs(1).stepsPerEpoch(1).seed(1).asOpponent(true).build());
		assertTrue(poisson.getMessage().contains("poisson_noise"), poisson.getMessage());
		var greyImages = assertThrows(java.io.IOException.class, () -> new Trainer(tiny(grey, noise, dir.resolve("never.zip"))
				.epochs(1).stepsPerEpoch(1).seed(1).asOpponent(true).build(), null).train());
		assertTrue(greyImages.getMessage().contains("is not RGB"), greyImages.getMessage());
		assertFalse(Files.exists(dir.resolve("never.zip")));
	}

	/**
	 * luminance_guide=true: from a grey model, a model for the colour differences told the noisy luminance, which names
	 * that grey model for the luminance: restoring RGB, the luminance is exactly what the grey model gives and the
	 * colour differences are its own; grey images and bad settings are refused.
	 */
	@Test
	void colourDifferencesToldTheLuminanceRestoreRgbWithTheirGreyModel() throws Exception {
		Path images = TestImages.rgbFolder(dir, "rgb", 3, 96, 30);
		DegradationSpec noise = DegradationSpec.of("gaussian_noise", "", "30", 0, 2);
		Path grey = dir.resolve("grey.zip"), guided = dir.resolve("guided.zip");
		new Trainer(tiny(images, noise, grey).epochs(1).stepsPerEpoch(6).learningRate(3e-3).asOpponent(true).build(),
				null).train();
		List<String> log = new java.util.ArrayList<>();
		Trainer.Result r = new Trainer(tiny(images, noise, guided).epochs(3).stepsPerEpoch(12).learningRate(3e-3)
				.startFrom(grey.toString()).asOpponent(true).luminanceGuide(true).build(), new TrainingListener() {
					@Override
					public void log(String message) { log.add(message); }
				}).train();
		assertTrue(log.stream().anyMatch(l -> l.startsWith("Training on 6 plane(s)")), log.toString());
		assertTrue(log.stream().anyMatch(l -> l.contains("blind: the luminance's weights start at zero")), log.toString());
		assertTrue(r.bestValidationLoss() < r.history().get(0).validationLoss() * 1.0001, r.history().toString());
		ModelFile model = ModelFile.read(guided);
		assertEquals(UNetSpec.LUMINANCE, model.info().condition());
		assertEquals(2, model.info().inputChannels());
		assertEquals(grey.toString(), model.info().training().get(io.github.imagify.modelfile.ModelInfo.LUMINANCE_MODEL));

		FloatImage clean = io.github.imagify.imagej.ImagePlusImages.plane(new ij.ImagePlus("c", TestImages.rgb(64, 64, 99)), 1);
		FloatImage noisy = noise.toDegradation().apply(clean, 255, new java.util.Random(1));
		try (Restorer both = new Restorer(model, 64, 1); Restorer greyAlone = new Restorer(ModelFile.read(grey), 64, 1)) {
			assertEquals("grey", both.luminanceModel().name());
			FloatImage restored = both.restore(noisy, null), byGrey = greyAlone.restore(noisy, null);
			assertEquals(3, restored.channels());
			double[] luminanceDiff = new double[1], colourDiff = new double[1];
			int n = restored.planeSize();
			for (int i = 0; i < n; i++) {
				float[] a = restored.data(), b = byGrey.data();
				double ya = a[i] + a[n + i] + a[2 * n + i], yb = b[i] + b[n + i] + b[2 * n + i];
				luminanceDiff[0] = Math.max(luminanceDiff[0], Math.abs(ya - yb));
				colourDiff[0] = Math.max(colourDiff[0], Math.abs((a[i] - a[2 * n + i]) - (b[i] - b[2 * n + i])));
			}
			assertTrue(luminanceDiff[0] < 1e-2, "the luminance is the grey model's: R+G+B differs by " + luminanceDiff[0]);
			assertTrue(colourDiff[0] > 1e-3, "the colour differences are the told model's own");
			for (float v : restored.data()) assertTrue(Float.isFinite(v));
			FloatImage greyImage = io.github.imagify.imagej.ImagePlusImages.plane(new ij.ImagePlus("g", TestImages.blobs(64, 64, 3)), 1);
			var e = assertThrows(IllegalArgumentException.class, () -> both.restore(greyImage, null));
			assertTrue(e.getMessage().contains("use 'grey' for this 1-channel image"), e.getMessage());
		}

		// fine-tuning the told model keeps its grey model for the luminance
		Path again = dir.resolve("again.zip");
		new Trainer(tiny(images, noise, again).epochs(1).stepsPerEpoch(6).seed(6).startFrom(guided.toString())
				.asOpponent(true).luminanceGuide(true).build(), null).train();
		assertEquals(grey.toString(), ModelFile.read(again).info().training().get(io.github.imagify.modelfile.ModelInfo.LUMINANCE_MODEL));
		try (Restorer tuned = new Restorer(ModelFile.read(again), 64, 1)) {
			assertEquals("grey", tuned.luminanceModel().name());
		}

		var noOpponent = assertThrows(IllegalArgumentException.class, () -> tiny(images, noise, guided).epochs(1).stepsPerEpoch(1).seed(1)
				.startFrom(grey.toString()).luminanceGuide(true).build());
		assertTrue(noOpponent.getMessage().contains("set as_opponent=true"), noOpponent.getMessage());
		var noStart = assertThrows(IllegalArgumentException.class, () -> tiny(images, noise, guided).epochs(1).stepsPerEpoch(1)
				.seed(1).asOpponent(true).luminanceGuide(true).build());
		assertTrue(noStart.getMessage().contains("needs start_from"), noStart.getMessage());
		// a told model cannot start a blind one
		TrainingConfig blindFromTold = tiny(images, noise, dir.resolve("b.zip")).epochs(1).stepsPerEpoch(1).seed(1)
				.startFrom(guided.toString()).asOpponent(true).build();
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new Trainer(blindFromTold, null).train()).getMessage()
				.contains("is told the luminance; set as_opponent=true,luminance_guide=true"));
	}

	/**
	 * refine_convs: a model without refinement convolutions starts one with two (they start as identities), the written
	 * model has them (its spec, its larger context) and restores through ONNX Runtime; that model cannot start one
	 * with fewer.
	 */
	@Test
	void refinementConvolutionsAreAddedToAStartModel() throws Exception {
		Path images = TestImages.folder(dir, "clean", 3, 96, 12);
		DegradationSpec noise = DegradationSpec.of("gaussian_noise", "", "20", 0, 2);
		Path plain = dir.resolve("plain.zip"), refined = dir.resolve("refined.zip");
		new Trainer(tiny(images, noise, plain).epochs(1).stepsPerEpoch(6).learningRate(3e-3).build(), null).train();
		List<String> log = new java.util.ArrayList<>();
		new Trainer(tiny(images, noise, refined).epochs(1).stepsPerEpoch(6).startFrom(plain.toString()).refineConvs(2).build(),
				new TrainingListener() {
					@Override
					public void log(String message) { log.add(message); }
				}).train();
		assertTrue(log.stream().anyMatch(l -> l.contains("with 0 refinement convolutions: the 2 added start as identities")), log.toString());
		ModelFile model = ModelFile.read(refined);
		assertEquals(2, UNetSpec.fromMap(model.info().network()).refineConvs());
		assertEquals(ModelFile.read(plain).info().context() + 2, model.info().context());
		assertRestoresThroughOnnxRuntime(model, noise);
		TrainingConfig fewer = tiny(images, noise, dir.resolve("fewer.zip")).epochs(1).stepsPerEpoch(6).startFrom(refined.toString()).refineConvs(1)
				.build();
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new Trainer(fewer, null).train()).getMessage()
				.contains("has 2 refinement convolutions; set refine_convs=2"));
	}

	/** The model restores a noisy grey image through ONNX Runtime to finite values of the same shape. */
	private static void assertRestoresThroughOnnxRuntime(ModelFile model, DegradationSpec noise) throws Exception {
		FloatImage clean = io.github.imagify.imagej.ImagePlusImages.plane(new ij.ImagePlus("c", TestImages.blobs(64, 64, 99)), 1);
		FloatImage noisy = noise.toDegradation().apply(clean, 255, new java.util.Random(1));
		try (Restorer restorer = new Restorer(model, 64, 1)) {
			FloatImage out = restorer.restore(noisy, null);
			assertTrue(out.sameShape(noisy));
			for (float v : out.data()) assertTrue(Float.isFinite(v));
		}
	}

	/**
	 * A larger base_filters than the start_from model's: training starts from the model (its first validation loss is
	 * the model's, as the added filters do not reach the output yet, where a fresh network of that width starts at
	 * the noisy input's), and the written model has the new width and restores through ONNX Runtime.
	 */
	@Test
	void aModelStartsAWiderOne() throws Exception {
		Path images = TestImages.folder(dir, "clean", 3, 96, 12);
		DegradationSpec noise = DegradationSpec.of("gaussian_noise", "", "20", 0, 2);
		Path narrow = dir.resolve("narrow.zip"), wide = dir.resolve("wide.zip"), fresh = dir.resolve("fresh.zip");
		new Trainer(tiny(images, noise, narrow).epochs(5).stepsPerEpoch(8).learningRate(3e-3).baseFilters(4).build(), null).train();
		List<String> log = new java.util.ArrayList<>();
		// learning rate ~0: the first epoch's validation shows where training started
		Trainer.Result widened = new Trainer(tiny(images, noise, wide).epochs(1).stepsPerEpoch(2).learningRate(1e-9).baseFilters(6)
				.startFrom(narrow.toString()).build(), new TrainingListener() {
					@Override
					public void log(String message) { log.add(message); }
				}).train();
		assertTrue(log.stream().anyMatch(l -> l.contains("with 4 base filters: the added filters start unconnected to the output")), log.toString());
		Trainer.Result fromScratch = new Trainer(tiny(images, noise, fresh).epochs(1).stepsPerEpoch(2).learningRate(1e-9).baseFilters(6).build(), null)
				.train();
		double narrowBest = ((Number) ModelFile.read(narrow).info().training().get("best_validation_loss")).doubleValue();
		double widenedFirst = widened.history().get(0).validationLoss();
		assertEquals(narrowBest, widenedFirst, 1e-3 * narrowBest, "the widened network starts where the model ended");
		assertTrue(fromScratch.history().get(0).validationLoss() > 1.03 * widenedFirst,
				"a fresh network of that width starts worse: " + fromScratch.history().get(0).validationLoss() + " vs " + widenedFirst);
		ModelFile model = ModelFile.read(wide);
		assertEquals(6, UNetSpec.fromMap(model.info().network()).baseFilters());
		assertRestoresThroughOnnxRuntime(model, noise);
	}

	/**
	 * blur_known=true: a blind deblurrer starts a told one (which begins where the blind one is), training lowers its
	 * loss, and the written model is told the blur (its file, its description, and restoring, which needs the sigma and
	 * then sharpens). A told model cannot start a blind one, and the key needs a synthetic blur.
	 */
	@Test
	void aModelToldTheBlurTrainsFromABlindOneAndRestoresGivenTheSigma() throws Exception {
		Path images = TestImages.folder(dir, "clean", 3, 96, 10);
		DegradationSpec blur = DegradationSpec.of("gaussian_blur", "1-2", "1", 0, 2);
		Path blind = dir.resolve("blind.zip"), told = dir.resolve("told.zip");
		new Trainer(tiny(images, blur, blind).epochs(2).stepsPerEpoch(12).learningRate(3e-3).build(), null).train();
		TrainingConfig tell = tiny(images, blur, told).epochs(3).stepsPerEpoch(12).learningRate(3e-3).startFrom(blind.toString()).blurKnown(true)
				.build();
		List<String> log = new java.util.ArrayList<>();
		Trainer.Result r = new Trainer(tell, new TrainingListener() {
			@Override
			public void log(String message) { log.add(message); }
		}).train();
		assertTrue(log.stream().anyMatch(l -> l.contains("blind: the blur sigma's weights start at zero")), log.toString());
		assertTrue(log.stream().anyMatch(l -> l.endsWith("told the blur sigma")), log.toString());
		assertTrue(r.bestValidationLoss() < r.history().get(0).validationLoss() || r.bestEpoch() == 1, r.history().toString());
		ModelFile model = ModelFile.read(told);
		assertEquals("blur_sigma", model.info().condition());
		assertEquals(2, model.info().inputChannels());
		assertTrue(model.info().description().contains("told the blur sigma"), model.info().description());

		FloatImage clean = io.github.imagify.imagej.ImagePlusImages.plane(new ij.ImagePlus("c", TestImages.blobs(64, 64, 99)), 1);
		FloatImage blurred = DegradationSpec.of("gaussian_blur", "1.5", "1", 0, 2).toDegradation().apply(clean, 255, new java.util.Random(1));
		assertThrows(IllegalArgumentException.class, () -> new Restorer(model, 64, 1));
		try (Restorer restorer = new Restorer(model, 64, 1, 1, 1.5)) {
			double before = Metrics.psnr(clean, blurred, 255), after = Metrics.psnr(clean, restorer.restore(blurred, null), 255);
			assertTrue(after > before, "PSNR " + before + " -> " + after);
		}

		TrainingConfig blindFromTold = tiny(images, blur, dir.resolve("x.zip")).epochs(1).stepsPerEpoch(12).learningRate(3e-3)
				.startFrom(told.toString()).build();
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new Trainer(blindFromTold, null).train()).getMessage()
				.contains("is told the blur sigma; set blur_known=true"));
		var noise = DegradationSpec.of("gaussian_noise", "", "30", 0, 2);
		assertTrue(assertThrows(IllegalArgumentException.class, () -> tiny(images, noise, dir.resolve("y.zip")).epochs(1).stepsPerEpoch(12)
				.learningRate(3e-3).blurKnown(true).build()).getMessage().contains("blur_known=true needs degradation='gaussian_blur'"));
	}

	@Test
	void resumesFromTheCheckpointWithoutRedoingEpochs() throws Exception {
		Path images = TestImages.folder(dir, "clean", 2, 64, 20);
		Path out = dir.resolve("model.zip");
		new Trainer(config(images, out, 2, true), null).train();
		assertTrue(Files.exists(dir.resolve("model.zip.checkpoint/state.json")));
		AtomicInteger iterations = new AtomicInteger();
		Trainer.Result r = new Trainer(config(images, out, 3, true), new TrainingListener() {
			@Override
			public void iteration(int epoch, int step, int steps, double loss) {
				assertEquals(3, epoch, "only the new epoch runs");
				iterations.incrementAndGet();
			}
		}).train();
		assertEquals(12, iterations.get());
		assertEquals(3, r.history().size());
		assertEquals(1, r.history().get(0).epoch());

		// other settings: a clear refusal, not a silent mix
		TrainingConfig other = tiny(images, DegradationSpec.of("gaussian_noise", "", "10", 0, 2), out)
				.epochs(4).stepsPerEpoch(12).learningRate(3e-3).resume(true).build();
		var e = assertThrows(IllegalArgumentException.class, () -> new Trainer(other, null).train());
		assertTrue(e.getMessage().contains("other settings"), e.getMessage());
	}

	TrainingConfig averaging(Path images, Path out, int epochs, int averageEpochs) {
		return averaging(images, out, epochs, averageEpochs, null, 3e-3);
	}

	TrainingConfig averaging(Path images, Path out, int epochs, int averageEpochs, String startFrom, double learningRate) {
		return tiny(images, DegradationSpec.of("gaussian_noise", "", "30", 0, 2), out).epochs(epochs).stepsPerEpoch(12).learningRate(learningRate)
				.resume(true).startFrom(startFrom).averageEpochs(averageEpochs).build();
	}

	/**
	 * average_epochs=2 at the end of a run from scratch and over a fine-tune at a constant rate (here the best epoch
	 * wins the first and the mean the second; the run prints which): either way the checkpoint sums the two epochs'
	 * weights and the model file holds the better of their mean and the best epoch, as its record says.
	 */
	@Test
	void averagingTheLastEpochsKeepsTheirMeanWeightsWhenTheyValidateBetter() throws Exception {
		Path images = TestImages.folder(dir, "clean", 2, 64, 40);
		Path scratch = dir.resolve("scratch.zip"), tuned = dir.resolve("tuned.zip");
		boolean fromScratch = holdsTheBetterOfMeanAndBest(averaging(images, scratch, 8, 2));
		boolean fineTuned = holdsTheBetterOfMeanAndBest(averaging(images, tuned, 2, 2, scratch.toString(), 3e-3));
		System.out.println("the model file holds the mean: from scratch " + fromScratch + ", fine-tuned " + fineTuned);
	}

	/** Runs an averaging config (the last two epochs), checks what it wrote, and says whether the file holds the mean. */
	private boolean holdsTheBetterOfMeanAndBest(TrainingConfig config) throws Exception {
		int last = config.epochs(), first = last - 1;
		Path out = config.modelOut(), checkpoint = out.resolveSibling(out.getFileName() + ".checkpoint");
		Path earlier = dir.resolve("epoch" + first + "-" + out.getFileName());
		List<String> log = new java.util.ArrayList<>();
		Trainer.Result r = new Trainer(config, new TrainingListener() {
			@Override
			public void log(String message) {
				System.out.println(message);
				log.add(message);
			}

			@Override
			public void epochDone(EpochResult result) { // the checkpoint holds this epoch's network now
				if (result.epoch() == first) assertDoesNotThrow(() -> Files.copy(checkpoint.resolve("network-" + first + ".zip"), earlier));
			}
		}).train();
		INDArray a = ComputationGraph.load(earlier.toFile(), false).params();
		INDArray b = ComputationGraph.load(checkpoint.resolve("network-" + last + ".zip").toFile(), false).params();
		INDArray sum = Nd4j.readBinary(checkpoint.resolve("average-" + last + ".bin").toFile());
		assertEquals(0, sum.sub(a.add(b)).amaxNumber().doubleValue(), 1e-6, "the checkpoint sums the last two epochs");
		String epochs = "epochs " + first + "-" + last;
		assertTrue(log.stream().anyMatch(l -> l.startsWith("Mean weights of " + epochs + ": validation loss")), log.toString());

		Map<String, Object> record = ModelFile.read(out).info().training();
		assertEquals(epochs, record.get("averaged"));
		double averaged = ((Number) record.get("averaged_validation_loss")).doubleValue();
		boolean meanKept = averaged < r.bestValidationLoss();
		assertEquals(meanKept ? "mean of " + epochs : "best epoch", record.get("weights"));
		assertEquals(meanKept, r.holdsMean(), "the result says what the record says");
		assertEquals(epochs, r.averaged().epochs());
		// the file's weights: the mean, or the best epoch's (one of the two, as the loss still falls over them)
		INDArray expected = meanKept ? a.add(b).divi(2) : r.bestEpoch() == first ? a : r.bestEpoch() == last ? b : null;
		assertNotNull(expected, "best epoch " + r.bestEpoch());
		ModelFile written = ModelFile.read(out);
		ComputationGraph graph = io.github.imagify.model.UNet.build(UNetSpec.fromMap(written.info().network()), 32, 1e-3, 1);
		io.github.imagify.onnx.OnnxWeights.copyInto(written.onnx(), graph);
		assertEquals(0, graph.params().sub(expected).amaxNumber().doubleValue(), 1e-6);
		assertEquals(10 * Math.log10(1 / (meanKept ? averaged : r.bestValidationLoss())),
				((Number) record.get("validation_psnr_normalized")).doubleValue(), 1e-9, "the PSNR of the weights in the file");
		assertEquals(((Number) record.get("validation_psnr_normalized")).doubleValue(), r.validationPsnr(), 1e-9);
		return meanKept;
	}

	@Test
	void anInterruptedAverageResumesAndAMovedWindowStartsAgain() throws Exception {
		Path images = TestImages.folder(dir, "clean", 2, 64, 41);
		Path whole = dir.resolve("whole.zip");
		new Trainer(averaging(images, whole, 4, 2), null).train();
		// the same run cancelled in epoch 4, with epoch 3 in the sum, then resumed
		Path resumed = dir.resolve("resumed.zip");
		AtomicInteger steps = new AtomicInteger();
		assertTrue(new Trainer(averaging(images, resumed, 4, 2), new TrainingListener() {
			@Override
			public void iteration(int epoch, int step, int steps_, double loss) { steps.incrementAndGet(); }

			@Override
			public boolean isCancelled() { return steps.get() >= 40; }
		}).train().cancelled());
		assertFalse(ModelFile.read(resumed).info().training().containsKey("averaged"), "no mean written on a cancel");
		new Trainer(averaging(images, resumed, 4, 2), null).train();
		INDArray a = Nd4j.readBinary(dir.resolve("whole.zip.checkpoint/average-4.bin").toFile());
		INDArray b = Nd4j.readBinary(dir.resolve("resumed.zip.checkpoint/average-4.bin").toFile());
		assertEquals(0, a.sub(b).amaxNumber().doubleValue(), 1e-6, "the resumed sum is the uninterrupted one");
		assertEquals(ModelFile.read(whole).info().training().get("averaged"), ModelFile.read(resumed).info().training().get("averaged"));

		// more epochs move the window past what the checkpoint summed: it starts again, and the record says what was averaged
		List<String> log = new java.util.ArrayList<>();
		new Trainer(averaging(images, whole, 5, 2), new TrainingListener() {
			@Override
			public void log(String message) { log.add(message); }
		}).train();
		assertTrue(log.stream().anyMatch(l -> l.contains("began at epoch 3, but these settings average from epoch 4: averaging starts again at epoch 5")), log.toString());
		assertEquals("epoch 5", ModelFile.read(whole).info().training().get("averaged"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> averaging(images, whole, 3, 4)).getMessage().contains("average_epochs"));
	}

	@Test
	void cancellingKeepsTheBestCompleteModel() throws Exception {
		Path images = TestImages.folder(dir, "clean", 2, 64, 30);
		Path out = dir.resolve("model.zip");
		AtomicInteger seen = new AtomicInteger();
		Trainer.Result r = new Trainer(config(images, out, 5, false), new TrainingListener() {
			@Override
			public void iteration(int epoch, int step, int steps, double loss) {
				seen.incrementAndGet();
			}

			@Override
			public boolean isCancelled() {
				return seen.get() >= 15; // in epoch 2
			}
		}).train();
		assertTrue(r.cancelled());
		assertEquals(1, r.history().size());
		assertEquals(1, ((Number) ModelFile.read(out).info().training().get("best_epoch")).intValue());
	}

	/** A tiny noise2void run on noisy images: denser masks than N2V's default, so the few steps see enough blind spots. */
	static TrainingConfig.Builder tinyNoise2Void(Path noisy, Path out) {
		return TrainingConfig.builder().method(TrainingMethod.NOISE2VOID).images(noisy).modelOut(out).patchSize(32).depth(2).baseFilters(8)
				.dropout(0).seed(5).resume(false).learningRate(3e-3)
				.masking(new io.github.imagify.blindspot.BlindSpotMasking(0.02, 5, "uniform", "none", 5));
	}

	/** A listener that prints the log and collects it into {@code log}. */
	static TrainingListener printedInto(List<String> log) {
		return new TrainingListener() {
			@Override
			public void log(String message) {
				System.out.println(message);
				log.add(message);
			}
		};
	}

	/** PSNR of a noisy 32-bit plane and of its restoration against the clean truth the test made: {before, after}. */
	private static double[] psnrBeforeAndAfter(ModelFile model, double offset, double sigma) throws Exception {
		Path truth = TestImages.floatStacks(Files.createTempDirectory("truth"), "t", 1, 1, 96, 777, offset, 0, 0);
		Path noisy = TestImages.floatStacks(Files.createTempDirectory("noisy"), "n", 1, 1, 96, 777, offset, sigma, 4321);
		FloatImage clean = io.github.imagify.imagej.ImagePlusImages.plane(io.github.imagify.io.ImageFiles.read(truth.resolve("img0.tif")), 1);
		FloatImage input = io.github.imagify.imagej.ImagePlusImages.plane(io.github.imagify.io.ImageFiles.read(noisy.resolve("img0.tif")), 1);
		try (Restorer restorer = new Restorer(model, 96, 1)) {
			return new double[] { Metrics.psnr(clean, input, 255), Metrics.psnr(clean, restorer.restore(input, null), 255) };
		}
	}

	/**
	 * noise2void on noisy 32-bit stacks with negative values (every plane an image), with their clean truth given: the
	 * model restores a noisy image of the same kind better than the noisy input (PSNR against the truth the test made),
	 * each epoch reports its PSNR against the clean images, and the model file records the method and its masking.
	 */
	@Test
	void noise2voidLearnsFromNoisyImagesAloneAndRestoresThem() throws Exception {
		double offset = -100, sigma = 30;
		Path noisy = TestImages.floatStacks(dir, "noisy", 2, 2, 96, 20, offset, sigma, 1);
		Path clean = TestImages.floatStacks(dir, "clean", 2, 2, 96, 20, offset, 0, 0);
		Path out = dir.resolve("n2v.zip");
		List<String> log = new java.util.ArrayList<>();
		Trainer.Result r = new Trainer(tinyNoise2Void(noisy, out).clean(clean).epochs(2).stepsPerEpoch(30).build(), printedInto(log)).train();
		assertTrue(log.stream().anyMatch(l -> l.startsWith("Training on 4 plane(s)") && l.contains("noise2void: 2 % of pixels masked")), log.toString());
		assertTrue(log.stream().anyMatch(l -> l.matches("Epoch 1/2: .*\\(masked pixels against their noisy values\\), PSNR .* dB against the clean images.*")),
				log.toString());
		assertTrue(r.history().stream().allMatch(e -> Double.isFinite(e.referencePsnr())), r.history().toString());

		ModelFile model = ModelFile.read(out);
		Map<String, Object> record = model.info().training();
		assertEquals("noise2void", record.get("method"));
		assertEquals(0.02, ((Number) ((Map<?, ?>) record.get("masking")).get("masked_fraction")).doubleValue());
		assertEquals("noise2void", model.info().degradation().get("type"));
		assertEquals(r.referencePsnr(), ((Number) record.get("clean_psnr_normalized")).doubleValue(), 1e-9);
		assertFalse(record.containsKey("validation_psnr_normalized"), "no PSNR of masked pixels against noise");
		assertTrue(model.info().description().contains("noise2void"), model.info().description()); // what Denoise logs beside the name
		double[] psnr = psnrBeforeAndAfter(model, offset, sigma);
		System.out.println("noise2void: PSNR " + psnr[0] + " -> " + psnr[1]);
		assertTrue(psnr[1] > psnr[0] + 1, "PSNR " + psnr[0] + " -> " + psnr[1]);
	}

	/**
	 * noise2void's training and validation losses are over the masked pixels alone, with their blind spots: a residual
	 * network that has not learnt yet is the identity, so it returns each masked pixel's replacement, a neighbour's value,
	 * whose squared error against the noisy pixel is about twice the noise variance (both noisy), not the zero it has at
	 * every other pixel.
	 */
	@Test
	void noise2voidScoresTheMaskedPixelsInTrainingAndValidation() throws Exception {
		Path noisy = TestImages.floatStacks(dir, "noisy", 1, 2, 64, 30, 0, 25, 2);
		Trainer.Result r = new Trainer(tinyNoise2Void(noisy, dir.resolve("n2v.zip")).epochs(1).stepsPerEpoch(2).learningRate(1e-9).build(), null).train();
		double noiseVariance = Math.pow(25 / 255.0, 2); // about: the normalised range is near the blobs' 0..255
		EpochResult epoch = r.history().get(0);
		assertTrue(epoch.trainLoss() > noiseVariance && epoch.validationLoss() > noiseVariance, epoch + " vs noise variance " + noiseVariance);
	}

	/**
	 * noise2void through the epoch loop's other parts: a resumed run does only the new epoch (the checkpoint knows the
	 * method and its masking, and other masking settings are refused), and the weight average of the last epochs is
	 * validated with the masked loss. The U-Net is N2V2's, without the top skip, which ONNX Runtime restores with.
	 */
	@Test
	void noise2voidResumesFromItsCheckpointAndAveragesItsLastEpochs() throws Exception {
		Path noisy = TestImages.floatStacks(dir, "noisy", 1, 2, 64, 30, 0, 25, 2);
		Path out = dir.resolve("n2v.zip");
		new Trainer(tinyNoise2Void(noisy, out).epochs(2).stepsPerEpoch(6).averageEpochs(1).resume(true).topSkip(false).residual(false).build(), null).train(); // sums epoch 2
		AtomicInteger iterations = new AtomicInteger();
		List<String> log = new java.util.ArrayList<>();
		Trainer.Result r = new Trainer(tinyNoise2Void(noisy, out).epochs(3).stepsPerEpoch(6).averageEpochs(2).resume(true).topSkip(false).residual(false).build(), new TrainingListener() {
			@Override
			public void log(String message) { log.add(message); }

			@Override
			public void iteration(int epoch, int step, int steps, double loss) {
				assertEquals(3, epoch, "only the new epoch runs");
				iterations.incrementAndGet();
			}
		}).train();
		assertEquals(6, iterations.get());
		assertEquals(3, r.history().size());
		assertFalse(log.stream().anyMatch(l -> l.contains("averaging starts again")), log.toString());
		assertTrue(log.stream().anyMatch(l -> l.startsWith("Mean weights of epochs 2-3: validation loss") && l.contains("masked pixels")), log.toString());
		assertEquals("epochs 2-3", ModelFile.read(out).info().training().get("averaged"));
		assertFalse(UNetSpec.fromMap(ModelFile.read(out).info().network()).topSkip());
		assertRestoresThroughOnnxRuntime(ModelFile.read(out), DegradationSpec.of("gaussian_noise", "", "25", 0, 2));
		TrainingConfig otherMasking = tinyNoise2Void(noisy, out).epochs(4).stepsPerEpoch(6).averageEpochs(2).resume(true).topSkip(false).residual(false)
				.masking(new io.github.imagify.blindspot.BlindSpotMasking(0.02, 5, "median", "none", 5)).build();
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new Trainer(otherMasking, null).train()).getMessage().contains("other settings"));
	}

	/**
	 * blur_pool=true, N2V2's max blur pool, trained for real (noise2void, resumed from its checkpoint for a second epoch):
	 * the model file's blur kernels are still exactly the binomial ones while the convolutions moved from the start the
	 * seed gives them (by no more than a few Adam steps can), the file records the key and the larger receptive field,
	 * and ONNX Runtime restores with it after the graph check. A checkpoint or a start_from model with the other pooling
	 * is refused in one line.
	 */
	@Test
	void blurPoolKernelsStayFixedWhileTheRestTrains() throws Exception {
		Path noisy = TestImages.floatStacks(dir, "noisy", 1, 2, 64, 30, 0, 25, 2);
		Path out = dir.resolve("blur-pool.zip");
		new Trainer(tinyNoise2Void(noisy, out).epochs(1).stepsPerEpoch(4).resume(true).blurPool(true).build(), null).train();
		List<String> log = new java.util.ArrayList<>();
		Trainer.Result r = new Trainer(tinyNoise2Void(noisy, out).epochs(2).stepsPerEpoch(4).resume(true).blurPool(true).build(), printedInto(log)).train();
		assertEquals(2, r.history().size());
		assertTrue(log.stream().anyMatch(l -> l.startsWith("U-Net depth 2") && l.contains(", blur pooling")), log.toString());
		ModelFile model = ModelFile.read(out);
		UNetSpec spec = UNetSpec.fromMap(model.info().network());
		assertTrue(spec.blurPool());
		assertEquals(spec.receptiveFieldRadius(), model.info().context());
		assertTrue(spec.receptiveFieldRadius() > spec.withBlurPool(false).receptiveFieldRadius());

		Map<String, float[]> trained = weights(model.onnx());
		Map<String, float[]> start = weights(io.github.imagify.onnx.OnnxExporter.export(UNet.build(spec, 32, 3e-3, 5), "start"));
		for (int level = 0; level < 2; level++) {
			float[] kernel = trained.get("enc" + level + "_blur.W"); // [channels, 1, 3, 3]
			assertEquals(9 * (8 << level), kernel.length);
			for (int i = 0; i < kernel.length; i++)
				assertEquals(new float[] { 1, 2, 1, 2, 4, 2, 1, 2, 1 }[i % 9] / 16f, kernel[i], 0f, "level " + level + " weight " + i);
		}
		for (String trainedWeights : List.of("enc0_conv1.W", "bottleneck_conv2.W", "dec0_conv2.W")) {
			double moved = 0;
			for (int i = 0; i < start.get(trainedWeights).length; i++)
				moved = Math.max(moved, Math.abs(start.get(trainedWeights)[i] - trained.get(trainedWeights)[i]));
			assertTrue(moved > 1e-5 && moved < 0.1, trainedWeights + " moved by up to " + moved);
		}
		assertRestoresThroughOnnxRuntime(model, DegradationSpec.of("gaussian_noise", "", "25", 0, 2));

		TrainingConfig maxPooling = tinyNoise2Void(noisy, out).epochs(3).stepsPerEpoch(4).resume(true).build();
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new Trainer(maxPooling, null).train()).getMessage().contains("other settings"));
		TrainingConfig fromBlurPool = tinyNoise2Void(noisy, dir.resolve("tuned.zip")).epochs(1).stepsPerEpoch(4).startFrom(out.toString()).build();
		assertOneLine("start_from model 'blur-pool' is a U-Net with N2V2's blur pooling; set blur_pool=true to fine-tune it",
				() -> new Trainer(fromBlurPool, null).train());
		Path maxPooled = dir.resolve("max-pooled.zip");
		io.github.imagify.testing.TestModels.randomModel(1, 2, 8, 1).write(maxPooled);
		TrainingConfig toBlurPool = tinyNoise2Void(noisy, dir.resolve("tuned.zip")).epochs(1).stepsPerEpoch(4).startFrom(maxPooled.toString())
				.blurPool(true).build();
		assertOneLine("start_from model 'random-1c-d2' is a U-Net with max-pooling; set blur_pool=false to fine-tune it",
				() -> new Trainer(toBlurPool, null).train());
		assertFalse(Files.exists(dir.resolve("tuned.zip")));
	}

	/** blur_pool enters the checkpoint's resume key only when set, so checkpoints written before it existed still resume. */
	@Test
	void blurPoolIsInTheResumeKeyOnlyWhenSet() {
		Path out = dir.resolve("m.zip");
		assertEquals(true, tinyNoise2Void(dir, out).blurPool(true).build().resumeKey().get("blur_pool"));
		assertFalse(tinyNoise2Void(dir, out).build().resumeKey().containsKey("blur_pool"));
		assertFalse(tinyNoise2Void(dir, out).build().blurPool(), "off by default");
	}

	private static void assertOneLine(String message, org.junit.jupiter.api.function.Executable run) {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run);
		assertEquals(message, e.getMessage());
	}

	/** An ONNX model's weights by name, as floats in their C order. */
	private static Map<String, float[]> weights(byte[] model) throws java.io.IOException {
		Map<String, float[]> m = new java.util.HashMap<>();
		for (onnx.Onnx.TensorProto t : onnx.Onnx.ModelProto.parseFrom(model).getGraph().getInitializerList()) {
			float[] values = new float[t.getRawData().size() / 4];
			t.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
			m.put(t.getName(), values);
		}
		return m;
	}

	/**
	 * noise2noise on two noisy acquisitions of each scene: validation compares with a noisy target and says so (in the
	 * log and the record), and the model restores a third noisy acquisition better than it was.
	 */
	@Test
	void noise2noiseLearnsFromTwoNoisyAcquisitions() throws Exception {
		double sigma = 30;
		Path first = TestImages.floatStacks(dir, "first", 2, 2, 96, 20, 0, sigma, 1), second = TestImages.floatStacks(dir, "second", 2, 2, 96, 20, 0, sigma, 2);
		Path out = dir.resolve("n2n.zip");
		List<String> log = new java.util.ArrayList<>();
		new Trainer(TrainingConfig.builder().method(TrainingMethod.NOISE2NOISE).images(first).degraded(second).modelOut(out).patchSize(32).depth(2)
				.baseFilters(8).dropout(0).seed(5).resume(false).learningRate(3e-3).epochs(2).stepsPerEpoch(20).build(), printedInto(log)).train();
		assertTrue(log.stream().anyMatch(l -> l.contains("noise2noise: pairs with the second acquisitions in " + second)), log.toString());
		assertTrue(log.stream().anyMatch(l -> l.startsWith("Epoch 2/2") && l.contains("dB against a noisy target")), log.toString());
		ModelFile model = ModelFile.read(out);
		assertEquals("noise2noise", model.info().training().get("method"));
		assertEquals("noisy", model.info().training().get("validation_target"));
		assertTrue(model.info().description().contains("noise2noise"), model.info().description());
		double[] psnr = psnrBeforeAndAfter(model, 0, sigma);
		System.out.println("noise2noise: PSNR " + psnr[0] + " -> " + psnr[1]);
		assertTrue(psnr[1] > psnr[0] + 1, "PSNR " + psnr[0] + " -> " + psnr[1]);
	}

	/**
	 * neighbor2neighbor on single noisy 32-bit stacks with negative values: it trains on half-size sub-images (the
	 * log says so), validates a sub-image against its noisy neighbour (labelled so in the log and the record), records
	 * its consistency weight, and the model restores a noisy image of the same kind at full size better than it was.
	 */
	@Test
	void neighbor2neighborLearnsFromNoisyImagesAloneAndRestoresThem() throws Exception {
		double offset = -100, sigma = 30;
		Path noisy = TestImages.floatStacks(dir, "noisy", 2, 2, 96, 20, offset, sigma, 1);
		Path clean = TestImages.floatStacks(dir, "clean", 2, 2, 96, 20, offset, 0, 0);
		Path out = dir.resolve("ne2ne.zip");
		List<String> log = new java.util.ArrayList<>();
		Trainer.Result r = new Trainer(tinyNeighbor2Neighbor(noisy, out).clean(clean).epochs(2).stepsPerEpoch(30).build(), printedInto(log)).train();
		assertTrue(log.stream().anyMatch(l -> l.startsWith("Training on 4 plane(s)") && l.contains("neighbor2neighbor: half-size neighbour sub-images")), log.toString());
		assertTrue(log.stream().anyMatch(l -> l.matches("Epoch 2/2: .*dB of sub-images against their noisy neighbours\\), PSNR .* dB against the clean images.*")),
				log.toString());
		ModelFile model = ModelFile.read(out);
		Map<String, Object> record = model.info().training();
		assertEquals("neighbor2neighbor", record.get("method"));
		assertEquals("neighbor2neighbor", model.info().degradation().get("type"));
		assertEquals("noisy", record.get("validation_target"));
		assertEquals(2.0, ((Number) record.get("consistency_weight")).doubleValue());
		assertTrue(model.info().description().contains("neighbor2neighbor"), model.info().description());
		assertTrue(Double.isFinite(r.referencePsnr()));
		double[] psnr = psnrBeforeAndAfter(model, offset, sigma);
		System.out.println("neighbor2neighbor: PSNR " + psnr[0] + " -> " + psnr[1]);
		assertTrue(psnr[1] > psnr[0] + 1, "PSNR " + psnr[0] + " -> " + psnr[1]);
	}

	/**
	 * neighbor2neighbor's step fits the network's half-size sub-images against the consistency target: at weight 0 that
	 * is the neighbouring noisy sub-image, so an untrained residual network (the identity) scores about twice the noise
	 * variance, as two noisy pixels differ; and the patch size must halve into a size the U-Net takes.
	 */
	@Test
	void neighbor2neighborScoresSubImagesAgainstTheirNeighbours() throws Exception {
		Path noisy = TestImages.floatStacks(dir, "noisy", 1, 2, 64, 30, 0, 25, 2);
		Trainer.Result r = new Trainer(tinyNeighbor2Neighbor(noisy, dir.resolve("ne2ne.zip")).consistencyWeight(0).epochs(1).stepsPerEpoch(2)
				.learningRate(1e-9).build(), null).train();
		double noiseVariance = Math.pow(25 / 255.0, 2);
		EpochResult epoch = r.history().get(0);
		assertTrue(epoch.trainLoss() > noiseVariance && epoch.validationLoss() > noiseVariance, epoch + " vs noise variance " + noiseVariance);
		assertMessage("patch_size 36 must be a multiple of 2^(depth+1) = 8 for neighbor2neighbor, which trains on half-size sub-images; try 40",
				tinyNeighbor2Neighbor(noisy, dir.resolve("m.zip")).patchSize(36));
		assertMessage("consistency_weight does not apply to method='noise2void'", tinyNoise2Void(noisy, dir.resolve("m.zip")).consistencyWeight(1));
		assertMessage("degraded does not apply to method='neighbor2neighbor'", tinyNeighbor2Neighbor(noisy, dir.resolve("m.zip")).degraded(noisy));
	}

	/** A tiny neighbor2neighbor run: 32-pixel patches, trained on 16-pixel sub-images. */
	static TrainingConfig.Builder tinyNeighbor2Neighbor(Path noisy, Path out) {
		return TrainingConfig.builder().method(TrainingMethod.NEIGHBOR2NEIGHBOR).images(noisy).modelOut(out).patchSize(32).depth(2).baseFilters(8)
				.dropout(0).seed(5).resume(false).learningRate(3e-3);
	}

	/**
	 * dims=3d: a 3D U-Net trained briefly on generated Z-stacks (filaments and blobs through an anisotropic PSF, Poisson
	 * noise; degraded/clean pairs, calibrated 0.1 x 0.3 um) restores a noisy stack it has not seen, as one volume through
	 * ONNX Runtime, better than it was; pooling in Z follows the calibration (3x coarser in Z: none), and the model file
	 * says the network is 3D.
	 */
	@Test
	void aThreeDimensionalUNetLearnsFromZStacksAndRestoresThem() throws Exception {
		Path clean = dir.resolve("clean3d"), noisy = dir.resolve("noisy3d");
		writeZStacks(clean, noisy);
		Path out = dir.resolve("unet3d.zip");
		List<String> log = new java.util.ArrayList<>();
		new Trainer(pairs3d(clean, noisy, out).epochs(2).stepsPerEpoch(25).build(), printedInto(log)).train();
		assertTrue(log.stream().anyMatch(l -> l.startsWith("Pooling in Z: false (voxel depth 0.3") && l.contains("pool_z=true or false overrides")), log.toString());
		assertTrue(log.stream().anyMatch(l -> l.startsWith("Training on 2 volume(s)") && l.contains("of 8x16x16")), log.toString());
		ModelFile model = ModelFile.read(out);
		assertTrue(model.info().is3d());
		assertEquals(false, model.info().network().get("pool_z"));
		assertEquals(8.0, model.info().training().get("patch_planes"));

		assertRestoresAnUnseenZStack(model, "3D U-Net");
	}

	/**
	 * neighbor2neighbor with dims=3d, on noisy Z-stacks alone (filaments and blobs, Poisson noise, 3x coarser in Z):
	 * the 3D U-Net trains on sub-volumes of half the height and width with every plane (the log says so), validates a
	 * sub-volume against its noisy neighbour (labelled as in 2D) and against the clean stacks, and restores a noisy stack
	 * it has not seen, as one volume through ONNX Runtime, better than it was.
	 */
	@Test
	void neighbor2neighborLearnsFromNoisyZStacksAloneAndRestoresThem() throws Exception {
		Path clean = dir.resolve("clean3d"), noisy = dir.resolve("noisy3d");
		writeZStacks(clean, noisy);
		Path out = dir.resolve("ne2ne3d.zip");
		List<String> log = new java.util.ArrayList<>();
		Trainer.Result r = new Trainer(tinyNeighbor2Neighbor(noisy, out).clean(clean).dims("3d").patchDepth(8).batchSize(4).seed(3).epochs(2)
				.stepsPerEpoch(25).build(), printedInto(log)).train();
		assertTrue(log.stream().anyMatch(l -> l.startsWith("Training on 2 volume(s)") && l.contains("of 8x32x32")
				&& l.contains("neighbor2neighbor: neighbour sub-volumes of half the height and width, every plane kept")), log.toString());
		assertTrue(log.stream().anyMatch(l -> l.matches("Epoch 2/2: .*dB of sub-images against their noisy neighbours\\), PSNR .* dB against the clean images.*")),
				log.toString());
		ModelFile model = ModelFile.read(out);
		assertTrue(model.info().is3d());
		assertEquals("neighbor2neighbor", model.info().training().get("method"));
		assertTrue(Double.isFinite(r.referencePsnr()));

		assertRestoresAnUnseenZStack(model, "neighbor2neighbor 3D");
	}

	/**
	 * start_from with dims=3d: a 3D model fine-tunes from another's weights, the transposed convolutions' permuted
	 * kernels included: at a learning rate too small to move them it restores as the model it started from; pool_z
	 * follows that model unless given; a 2D model, another pool_z and other base filters are refused in one line.
	 */
	@Test
	void aThreeDimensionalModelFineTunesFromAnother() throws Exception {
		Path clean = dir.resolve("clean3d"), noisy = dir.resolve("noisy3d"), first = dir.resolve("first3d.zip"), tuned = dir.resolve("tuned3d.zip");
		writeZStacks(clean, noisy);
		new Trainer(pairs3d(clean, noisy, first).poolZ("true").epochs(2).build(), null).train();
		List<String> log = new java.util.ArrayList<>();
		new Trainer(pairs3d(clean, noisy, tuned).learningRate(1e-12).startFrom(first.toString()).build(), printedInto(log)).train();
		assertTrue(log.contains("Pooling in Z: true (as start_from model 'first3d'; pool_z=true or false overrides)"), log.toString());
		assertTrue(log.stream().anyMatch(l -> l.startsWith("Starting from the weights of model 'first3d'")), log.toString());
		ModelFile a = ModelFile.read(first), b = ModelFile.read(tuned);
		assertEquals("first3d", b.info().training().get("start_from"));
		FloatVolume stack = TestVolumes.filamentsAndBlobs(TestVolumes.Spec.of(99).withSize(16, 48, 48).withPeak(20)).noisy();
		try (Restorer fromFirst = new Restorer(a, 0, 1); Restorer fromTuned = new Restorer(b, 0, 1)) {
			float[] x = fromFirst.restore(stack, null).data(), y = fromTuned.restore(stack, null).data();
			double most = 0;
			for (int i = 0; i < x.length; i++) most = Math.max(most, Math.abs(x[i] - y[i]));
			assertTrue(most < 1e-3, "the fine-tuned model restores otherwise by " + most);
		}

		Path flat = dir.resolve("flat.zip");
		io.github.imagify.testing.TestModels.randomModel(1, 2, 8, 1).write(flat);
		assertStartRefused("start_from model 'random-1c-d2' is a 2D model; set dims='2d' to fine-tune it, or start from a 3D model",
				pairs3d(clean, noisy, dir.resolve("r1.zip")).startFrom(flat.toString()));
		assertStartRefused("start_from model 'first3d' pools in Z; set pool_z=true to fine-tune it",
				pairs3d(clean, noisy, dir.resolve("r2.zip")).poolZ("false").startFrom(first.toString()));
		assertStartRefused("start_from model 'first3d' is a 3D U-Net with 8 base filters; set base_filters=8 to fine-tune it",
				pairs3d(clean, noisy, dir.resolve("r3.zip")).baseFilters(16).startFrom(first.toString()));
	}

	/** A tiny 3D U-Net on the pairs of {@link #writeZStacks}, one short epoch. */
	private static TrainingConfig.Builder pairs3d(Path clean, Path noisy, Path out) {
		return TrainingConfig.builder().images(clean).degraded(noisy).modelOut(out).dims("3d").patchSize(16).patchDepth(8).depth(2).baseFilters(8)
				.batchSize(4).dropout(0).seed(3).resume(false).learningRate(3e-3).epochs(1).stepsPerEpoch(10)
				.degradation(DegradationSpec.of("poisson_noise", "", "", 20, 2));
	}

	private static void assertStartRefused(String message, TrainingConfig.Builder builder) {
		var e = assertThrows(IllegalArgumentException.class, () -> new Trainer(builder.build(), null).train());
		assertTrue(e.getMessage().startsWith(message), e.getMessage());
	}

	/** Two generated noisy Z-stacks (filaments and blobs, Poisson noise at peak 20, 16 x 48 x 48, calibrated 0.1 x 0.3 um) and their truth. */
	private static void writeZStacks(Path clean, Path noisy) throws Exception {
		Files.createDirectories(clean);
		Files.createDirectories(noisy);
		for (int i = 0; i < 2; i++) {
			TestVolumes.Volumes v = TestVolumes.filamentsAndBlobs(TestVolumes.Spec.of(10 + i).withSize(16, 48, 48).withPeak(20));
			TestVolumes.write(v.clean(), clean.resolve("stack" + i + ".tif"), 32);
			TestVolumes.write(v.noisy(), noisy.resolve("stack" + i + ".tif"), 32);
		}
	}

	/** The 3D model restores a generated noisy stack it has not seen, as one volume through ONNX Runtime, 2 dB or more better than it was. */
	private static void assertRestoresAnUnseenZStack(ModelFile model, String what) throws Exception {
		TestVolumes.Volumes unseen = TestVolumes.filamentsAndBlobs(TestVolumes.Spec.of(99).withSize(16, 48, 48).withPeak(20));
		FloatVolume restored;
		try (Restorer restorer = new Restorer(model, 0, 1)) {
			restored = restorer.restore(unseen.noisy(), null);
		}
		double peak = max(unseen.clean().data());
		double before = Metrics.psnr(unseen.clean().asPlanes(), unseen.noisy().asPlanes(), peak), after = Metrics.psnr(unseen.clean().asPlanes(), restored.asPlanes(), peak);
		System.out.println(what + ": PSNR " + before + " -> " + after);
		assertTrue(after > before + 2, what + ": PSNR " + before + " -> " + after);
	}

	private static double max(float[] values) {
		double m = Double.NEGATIVE_INFINITY;
		for (float v : values) m = Math.max(m, v);
		return m;
	}

	/** Z-stack keys without dims=3d, and what 3D training does not offer, are refused with one line; noise2void's masking is checked against 3D patches. */
	@Test
	void zStackKeysAreRefusedWhereTheyDoNotApply() {
		Path images = dir.resolve("x"), out = dir.resolve("m.zip");
		DegradationSpec noise = DegradationSpec.of("gaussian_noise", "", "25", 0, 2);
		assertMessage("patch_planes, pool_z apply to Z-stacks only; set dims='3d' to train a 3D model, or leave them out",
				tiny(images, noise, out).patchDepth(8).poolZ("false"));
		assertMessage("patch_size 36 must be a multiple of 2^(depth+1) = 8 for neighbor2neighbor, which trains on half-size sub-images; try 40",
				tinyNeighbor2Neighbor(images, out).dims("3d").patchSize(36));
		assertMessage("blur_pool is not available with dims='3d'", tinyNoise2Void(images, out).dims("3d").blurPool(true));
		assertMessage("dims must be '2d' or '3d', got '4d'", null, () -> TrainingConfig.builder().dims("4d"));
		// noise2void's masked voxels lie on a cubic grid: 0.2 % masks one in 8x8x8, which a 8x16x16 patch holds (a 16x16 plane would not)
		assertEquals(8, tinyNoise2Void(images, out).dims("3d").patchSize(16).patchDepth(8).build().patchDepth());
		assertMessage("masked_fraction 5.0E-4 masks one voxel in 13x13x13, none in many 8x16x16 patches; give at least 0.001953125 or larger patch_planes and patch_size",
				tinyNoise2Void(images, out).dims("3d").patchSize(16).patchDepth(8).masking(new io.github.imagify.blindspot.BlindSpotMasking(5e-4, 5, "uniform", "none", 5)));
		assertMessage("mask_neighbourhood 5 must fit in a patch of 4x16x16 voxels, in Z too",
				tinyNoise2Void(images, out).dims("3d").patchSize(16).patchDepth(4).masking(new io.github.imagify.blindspot.BlindSpotMasking(0.02, 5, "uniform", "none", 5)));
	}

	/** A key that makes no sense with the method is refused with one line naming it, before anything is read. */
	@Test
	void keysThatDoNotApplyToTheMethodAreRefused() {
		Path images = dir.resolve("x"), out = dir.resolve("m.zip");
		assertMessage("noise_sigma does not apply to method='noise2void' (it learns from the noisy images in 'images' alone); leave it out",
				tinyNoise2Void(images, out).degradationKeys("gaussian_noise", "1.5", "25", 30, 2, "uniform"));
		assertMessage("degraded, degradation, blur_sigma, blur_known do not apply to method='noise2void'",
				tinyNoise2Void(images, out).degraded(images).degradationKeys("gaussian_blur", "2", "", 30, 2, "uniform").blurKnown(true));
		assertMessage("as_opponent does not apply to method='noise2noise'", TrainingConfig.builder().method(TrainingMethod.NOISE2NOISE).images(images)
				.degraded(images).modelOut(out).asOpponent(true));
		assertMessage("struct_mask, joint_channels do not apply to method='noise2noise'", TrainingConfig.builder().method(TrainingMethod.NOISE2NOISE)
				.images(images).degraded(images).modelOut(out).jointChannels(true)
				.masking(new io.github.imagify.blindspot.BlindSpotMasking(0.002, 5, "uniform", "vertical", 5)));
		assertMessage("top_skip=false with method='noise2void' needs direct=true", tinyNoise2Void(images, out).topSkip(false));
		assertMessage("method='noise2noise' needs 'degraded'", TrainingConfig.builder().method(TrainingMethod.NOISE2NOISE).images(images).modelOut(out));
		DegradationSpec noise = DegradationSpec.of("gaussian_noise", "", "25", 0, 2);
		assertMessage("clean, masked_fraction do not apply to method='supervised' (only to the methods that learn from noisy images); leave them out or set method",
				tiny(images, noise, out).clean(images).masking(new io.github.imagify.blindspot.BlindSpotMasking(0.01, 5, "uniform", "none", 5)));
		assertMessage("masked_fraction 1.0E-4 masks one pixel in 100x100, none in many 32x32 patches",
				tinyNoise2Void(images, out).masking(new io.github.imagify.blindspot.BlindSpotMasking(0.0001, 5, "uniform", "none", 5)));
		assertMessage("method must be one of supervised, noise2void, noise2noise, neighbor2neighbor, got 'n2v'", null, () -> TrainingMethod.of("n2v"));
		// at their defaults the degradation keys are no one's choice, as the dialog always sends them
		assertNull(tinyNoise2Void(images, out).degradationKeys("gaussian_noise", "1.5", "", 30, 2, "uniform").build().degradation());
	}

	private static void assertMessage(String start, TrainingConfig.Builder builder) {
		assertMessage(start, builder, null);
	}

	private static void assertMessage(String start, TrainingConfig.Builder builder, org.junit.jupiter.api.function.Executable other) {
		String message = assertThrows(IllegalArgumentException.class, builder == null ? other : builder::build).getMessage();
		assertTrue(message.startsWith(start), message);
		assertFalse(message.contains("\n"), message);
	}

	@Test
	void badSettingsNameTheirKey() {
		Path images = dir.resolve("x");
		Path out = dir.resolve("m.zip");
		DegradationSpec noise = DegradationSpec.of("gaussian_noise", "", "25", 0, 2);
		assertTrue(assertThrows(IllegalArgumentException.class,
				() -> tiny(images, noise, out).patchSize(30).epochs(1).stepsPerEpoch(1).seed(1).build())
				.getMessage().contains("patch_size"));
		assertTrue(assertThrows(IllegalArgumentException.class,
				() -> tiny(images, noise, out).epochs(0).stepsPerEpoch(1).seed(1).build())
				.getMessage().contains("epochs"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> DegradationSpec.of("gaussian_noise", "", "-3", 0, 2).validate())
				.getMessage().contains("noise_sigma"));
	}
}
