package io.github.imagify.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.github.imagify.data.PatchDataSetIterator;
import io.github.imagify.data.PatchSampler;
import io.github.imagify.data.TrainingImages;
import io.github.imagify.degrade.Degradation;
import io.github.imagify.degrade.DegradationSpec;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.model.UNetSpec;
import io.github.imagify.modelfile.ModelInfo;
import io.github.imagify.train.Trainer;
import io.github.imagify.train.TrainingConfig;
import io.github.imagify.train.TrainingListener;
import io.github.imagify.train.TrainingMethod;

/**
 * Training throughput through {@link Trainer} itself (what "Imagify Train" runs: patch sampling and synthetic
 * degradation on a producer thread, DL4J with oneDNN, Adam), with the bundled model's own settings: its
 * network spec, degradation, patch size and batch size from its training record. One epoch of warm-up + timed
 * steps on synthetic 8-bit images; the time between consecutive iterations after the warm-up ones is the step
 * time (the epoch's validation, model export and checkpoint come after the last step and are not timed). The
 * same is measured for noise2void and neighbor2neighbor on the same shape and images, so the steps are compared in one run.
 * <p>
 * FLOP convention: a training step costs 3x the forward FLOPs of its patches (the backward pass computes
 * gradients for both activations and weights, each about one forward pass); the optimizer update is not counted.
 */
final class TrainSection {

	/** The 3D step's shape: batches of 4 patches of 16 planes of 32x32. */
	static final int VOLUME_BATCH = 4, VOLUME_PLANES = 16, VOLUME_PATCH = 32;

	private TrainSection() {}

	static void run(ModelInfo info, int patch, int batch, int warmUp, int steps, double flopsPerPixel, Map<String, Double> figures,
			PrintStream out) throws Exception {
		UNetSpec spec = UNetSpec.fromMap(info.network());
		Path folder = Files.createTempDirectory("imagify-bench-train");
		try {
			for (int i = 0; i < 4; i++) ImageFiles.write(Inputs.clean8(512, i), folder.resolve("clean" + i + ".png"));
			Supplier<TrainingConfig.Builder> shape = () -> TrainingConfig.builder().images(folder).modelOut(folder.resolve("bench-model.zip"))
					.modelName("bench").resume(false).patchSize(patch).batchSize(batch).epochs(1).stepsPerEpoch(warmUp + steps)
					.learningRate(number(info.training(), "learning_rate", 1e-3)).depth(spec.depth()).baseFilters(spec.baseFilters())
					.dropout(spec.dropout()).residual(spec.residual()).seed(1);
			TrainingConfig config = shape.get().degradation(DegradationSpec.fromMap(info.degradation())).build();
			double[] stepSeconds = stepSeconds(config, warmUp, steps, out);
			double seconds = Measure.median(stepSeconds);
			double patchesPerSecond = batch / seconds;
			double gflops = 3 * flopsPerPixel * patch * patch * patchesPerSecond / 1e9;
			out.println(String.format("train: depth %d, %d base filters, %d channel(s), batch %d of %dx%d patches, %s: step %s = %.1f patches/s, "
					+ "%.1f GFLOP/s (3x forward)", spec.depth(), spec.baseFilters(), spec.channels(), batch, patch, patch,
					info.degradation().get("type"), Measure.describe(stepSeconds), patchesPerSecond, gflops));
			// the producer thread's share: drawing and degrading one batch alone, against the step it hides behind
			double[] dataSeconds = dataSeconds(config, batch, steps);
			double data = Measure.median(dataSeconds);
			out.println(String.format("train: one batch of patches drawn and degraded: %s, %.0f %% of a step (drawn on a producer thread, overlapped)",
					Measure.describe(dataSeconds), 100 * data / seconds));
			// noise2void, same shape and images: blind-spot masking on the producer thread, the loss on the masked pixels
			double[] blindSpotSeconds = stepSeconds(shape.get().method(TrainingMethod.NOISE2VOID).build(), warmUp, steps, out);
			double blindSpot = Measure.median(blindSpotSeconds);
			out.println(String.format("train: noise2void, same shape: step %s, %.3f x the supervised step", Measure.describe(blindSpotSeconds),
					blindSpot / seconds));
			// neighbor2neighbor, same patches: a forward pass over each whole patch, then a step on its half-size sub-images
			double[] neighbourSeconds = stepSeconds(shape.get().method(TrainingMethod.NEIGHBOR2NEIGHBOR).build(), warmUp, steps, out);
			double neighbour = Measure.median(neighbourSeconds);
			out.println(String.format("train: neighbor2neighbor, same patches (steps on %dx%d sub-images): step %s, %.3f x the supervised step",
					patch / 2, patch / 2, Measure.describe(neighbourSeconds), neighbour / seconds));
			// a 3D U-Net of the same depth and filters on Z-stacks (pooling in Z: the stacks are not calibrated), per voxel
			Path stacks = Files.createDirectories(folder.resolve("stacks"));
			for (int i = 0; i < 2; i++) {
				ij.ImageStack stack = new ij.ImageStack(128, 128);
				for (int z = 0; z < 32; z++) stack.addSlice(Inputs.clean8(128, 100L * i + z).getProcessor());
				ImageFiles.write(new ij.ImagePlus("stack" + i, stack), stacks.resolve("stack" + i + ".tif"));
			}
			int volumePatch = VOLUME_PATCH, planes = VOLUME_PLANES, volumeBatch = VOLUME_BATCH;
			double[] volumeSeconds = stepSeconds(shape.get().images(stacks).dims("3d").patchSize(volumePatch).patchDepth(planes).batchSize(volumeBatch)
					.degradation(DegradationSpec.fromMap(info.degradation())).build(), warmUp, steps, out);
			double volume = Measure.median(volumeSeconds);
			double voxelRatio = (volume / ((double) volumeBatch * planes * volumePatch * volumePatch)) / (seconds / ((double) batch * patch * patch));
			out.println(String.format("train: 3D U-Net, batch %d of %dx%dx%d patches: step %s, %.2f x the 2D step's time per pixel", volumeBatch, planes,
					volumePatch, volumePatch, Measure.describe(volumeSeconds), voxelRatio));
			figures.put("train_3d_step_s", volume);
			figures.put("train_3d_per_voxel_ratio", voxelRatio);
			figures.put("train_data_s", data);
			figures.put("train_data_step_ratio", data / seconds);
			figures.put("train_batch", (double) batch);
			figures.put("train_patch", (double) patch);
			figures.put("train_step_s", seconds);
			figures.put("train_patches_s", patchesPerSecond);
			figures.put("train_gflops", gflops);
			figures.put("train_n2v_step_s", blindSpot);
			figures.put("train_n2v_step_ratio", blindSpot / seconds);
			figures.put("train_ne2ne_step_s", neighbour);
			figures.put("train_ne2ne_step_ratio", neighbour / seconds);
		} finally {
			try (Stream<Path> files = Files.walk(folder)) {
				for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
			}
		}
	}

	/** One epoch of {@code warmUp + steps} steps through Trainer; the seconds between consecutive steps after the warm-up. */
	private static double[] stepSeconds(TrainingConfig config, int warmUp, int steps, PrintStream out) throws Exception {
		List<Long> ends = new ArrayList<>(), endMillis = new ArrayList<>();
		new Trainer(config, new TrainingListener() {
			@Override
			public void log(String message) {
				if (message.contains("oneDNN")) out.println("train: " + message);
			}

			@Override
			public void iteration(int epoch, int step, int stepsPerEpoch, double loss) {
				ends.add(System.nanoTime());
				endMillis.add(System.currentTimeMillis());
			}
		}).train();
		double[] stepSeconds = new double[steps];
		for (int i = 0; i < steps; i++) stepSeconds[i] = (ends.get(warmUp + i) - ends.get(warmUp + i - 1)) / 1e9;
		// wall-clock bounds of the timed steps, for TrainProfileSection to pick oneDNN's log lines from them
		out.println(String.format("train: timed steps from %d to %d ms since 1970", endMillis.get(warmUp - 1), endMillis.get(warmUp + steps - 1)));
		return stepSeconds;
	}

	/** Seconds to draw each of {@code batches} batches as the trainer's producer thread does, on this thread. */
	private static double[] dataSeconds(TrainingConfig config, int batch, int batches) throws Exception {
		Degradation degradation = config.degradation().toDegradation();
		PatchSampler sampler = new PatchSampler(TrainingImages.load(config.images(), null, degradation, TrainingConfig.NORMALIZATION,
				config.seed(), config.asGrey()), config.patchSize(), degradation, config.validationFraction(), config.seed());
		PatchDataSetIterator iterator = new PatchDataSetIterator(sampler, batch, batches + 1, 7);
		iterator.next(); // warm-up
		return Measure.seconds(batches, iterator::next);
	}

	/** A number from the model's training record, or a default when the record lacks it. */
	static double number(Map<String, Object> record, String key, double otherwise) {
		return record != null && record.get(key) instanceof Number n ? n.doubleValue() : otherwise;
	}
}
