package io.github.imagify.train;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.AsyncDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;

import io.github.imagify.bundled.BundledModels;
import io.github.imagify.data.PatchDataSetIterator;
import io.github.imagify.data.PatchSampler;
import io.github.imagify.data.TrainingImage;
import io.github.imagify.data.TrainingImages;
import io.github.imagify.degrade.Degradation;
import io.github.imagify.model.UNet;
import io.github.imagify.model.UNetSpec;
import io.github.imagify.modelfile.ModelFile;
import io.github.imagify.modelfile.ModelInfo;
import io.github.imagify.onnx.OnnxExporter;
import io.github.imagify.onnx.OnnxWeights;
import io.github.imagify.plugin.PluginClassLoader;

/**
 * Trains a U-Net on a folder of images and writes the best model (by validation loss) as an Imagify model
 * file. Every epoch: {@code steps_per_epoch} Adam steps on fresh random patches, the validation loss on the
 * fixed validation patches, the model file rewritten when validation improved, and a checkpoint to resume from.
 * With {@code average_epochs}, the weights after each of the last epochs are summed, and after the last epoch their
 * mean replaces the best epoch's in the model file if it validates better.
 */
public final class Trainer {

	/** Validation patches scored per forward pass, to bound memory. */
	private static final int VALIDATION_BATCH = 16;
	/** Batches drawn ahead of the one DL4J is fitting: enough to hide the patch preparation, few enough to keep memory small. */
	private static final int PREFETCH_BATCHES = 2;

	/**
	 * The outcome: figures per epoch, the best epoch and its validation loss, the mean weights' outcome (null unless
	 * average_epochs measured one), the seconds spent in epochs, and whether the run was cancelled before its last epoch.
	 * The model file's training record is written from these.
	 */
	public record Result(List<EpochResult> history, int bestEpoch, double bestValidationLoss, Averaged averaged, double seconds,
			boolean cancelled) {

		/** Whether the model file holds the mean weights of the last epochs rather than the best epoch's. */
		public boolean holdsMean() {
			return averaged != null && averaged.kept();
		}

		/** The validation loss of the weights the model file holds. */
		public double validationLoss() {
			return holdsMean() ? averaged.validationLoss() : bestValidationLoss;
		}

		/** Their validation PSNR in dB on normalised data (peak 1). */
		public double validationPsnr() {
			return 10 * Math.log10(1 / validationLoss());
		}
	}

	/** Which epochs' weights were averaged ("epochs 3-4"), their mean's validation loss, and whether the model file holds the mean. */
	public record Averaged(String epochs, double validationLoss, boolean kept) {}

	private final TrainingConfig config;
	private final TrainingListener listener;
	private List<String> imageNames = List.of();
	/** The model whose weights training starts from ({@code start_from}), or null. */
	private ModelFile startModel;

	public Trainer(TrainingConfig config, TrainingListener listener) {
		this.config = config;
		this.listener = listener == null ? TrainingListener.SILENT : listener;
	}

	public Result train() throws IOException {
		listener.log(NativeBuffers.reuse()); // before the first step allocates
		try {
			return trainTheNetwork();
		} finally {
			NativeBuffers.release();
		}
	}

	private Result trainTheNetwork() throws IOException {
		Degradation degradation = config.degraded() == null ? config.trainingDegradation() : null;
		startModel = config.startFrom() == null ? null : BundledModels.resolve(config.startFrom()); // a wrong name fails before images load
		List<TrainingImage> images = config.asOpponent()
				? TrainingImages.loadOpponentPlanes(config.images(), degradation, TrainingConfig.NORMALIZATION, config.seed(), config.luminanceGuide())
				: TrainingImages.load(config.images(), config.degraded(), degradation, TrainingConfig.NORMALIZATION, config.seed(), config.asGrey());
		imageNames = images.stream().map(TrainingImage::name).toList();
		PatchSampler sampler = new PatchSampler(images, config.patchSize(), degradation, config.validationFraction(), config.seed());
		int channels = sampler.channels();
		UNetSpec spec = new UNetSpec(channels, config.depth(), config.baseFilters(), config.dropout(), config.residual(), 1.0,
				config.blurKnown() ? UNetSpec.BLUR_SIGMA : config.luminanceGuide() ? UNetSpec.LUMINANCE : null, config.refineConvs());
		if (startModel != null) checkFits(startModel, spec);
		listener.log(String.format("Training on %d plane(s) from %s: %d training region(s), %d validation patch(es) of %dx%d, %s",
				images.size(), config.images(), sampler.trainingCells(), sampler.validation().size(), config.patchSize(), config.patchSize(),
				config.degraded() == null ? config.degradation().describe() : "pairs from " + config.degraded()));

		OneDnn.enable(); // before DL4J builds any layer
		Checkpoint checkpoint = new Checkpoint(config.modelOut());
		String settings = new com.google.gson.Gson().toJson(config.resumeKey());
		Start begin = start(spec, checkpoint, settings);
		ComputationGraph graph = begin.graph();
		Checkpoint.State state = begin.state();
		OneDnn.Status oneDnn = OneDnn.check(graph);
		listener.log(oneDnn.active() ? oneDnn.toString() : "Warning: " + oneDnn);
		listener.log(String.format("U-Net depth %d, base filters %d%s, %,d parameters, residual %s%s", spec.depth(), spec.baseFilters(),
				spec.refineConvs() == 0 ? "" : ", " + spec.refineConvs() + " refinement convolutions", graph.numParams(), spec.residual(),
				spec.condition() == null ? "" : ", told the " + spec.condition().replace('_', ' ')));

		List<EpochResult> history = new ArrayList<>(state.history());
		double best = state.bestValidationLoss();
		int bestEpoch = state.bestEpoch();
		double seconds = state.secondsSoFar();
		List<DataSet> validation = validationBatches(sampler);
		WeightAverage average = averageToContinue(begin.average(), state.epochsDone());
		for (int epoch = state.epochsDone(); epoch < config.epochs(); epoch++) {
			long start = System.nanoTime();
			double lr = config.learningRateAt(epoch);
			graph.setLearningRate(lr);
			// one seed per epoch: a resumed run draws the same patches as an uninterrupted one. One producer thread
			// draws and degrades the next batches while DL4J computes this one; alone, it keeps the same order.
			AsyncDataSetIterator batches = new AsyncDataSetIterator(new PatchDataSetIterator(sampler, config.batchSize(),
					config.stepsPerEpoch(), config.seed() * 1_000_003L + epoch), PREFETCH_BATCHES, false);
			double lossSum = 0;
			int steps = 0;
			try {
				while (batches.hasNext()) {
					if (listener.isCancelled()) {
						listener.log("Training cancelled in epoch " + (epoch + 1) + "; the model file keeps the best epoch so far (" + bestEpoch + ")");
						return finish(spec, images.size(), sampler, new Result(history, bestEpoch, best, null, seconds, true));
					}
					graph.fit(batches.next());
					// DL4J's CNN loss sums the per-pixel MSE over the patch: divide to get the per-pixel mean
					double loss = graph.score() / ((double) config.patchSize() * config.patchSize());
					lossSum += loss;
					steps++;
					listener.iteration(epoch + 1, steps, config.stepsPerEpoch(), loss);
				}
			} finally {
				batches.shutdown();
			}
			double validationLoss = validationLoss(graph, validation);
			boolean improved = validationLoss < best;
			seconds += (System.nanoTime() - start) / 1e9;
			EpochResult result = new EpochResult(epoch + 1, config.epochs(), lossSum / steps, validationLoss,
					10 * Math.log10(1 / validationLoss), lr, improved, (System.nanoTime() - start) / 1e9);
			history.add(result);
			if (improved) {
				best = validationLoss;
				bestEpoch = epoch + 1;
				ModelInfo info = modelInfo(spec, images.size(), sampler, new Result(history, bestEpoch, best, null, seconds, false));
				new ModelFile(info, OnnxExporter.export(graph, version())).write(config.modelOut());
			}
			if (epoch + 1 >= config.firstAveragedEpoch()) average.add(graph.params(), epoch + 1);
			checkpoint.save(graph, new Checkpoint.State(epoch + 1, best, bestEpoch, seconds, settings, history, null), average);
			listener.log(String.format("Epoch %d/%d: train loss %.5f, validation loss %.5f (PSNR %.2f dB)%s, lr %.2g, %.1f s",
					epoch + 1, config.epochs(), result.trainLoss(), validationLoss, result.validationPsnr(), improved ? ", best so far" : "",
					lr, result.seconds()));
			listener.epochDone(result);
		}
		Averaged averaged = average.count() > 0 ? keepTheBetter(graph, average, validation, bestEpoch, best) : null;
		return finish(spec, images.size(), sampler, new Result(history, bestEpoch, best, averaged, seconds, false));
	}

	/**
	 * The checkpoint's running sum if it is the window these settings average, else an empty one: a resume may change
	 * epochs or average_epochs, and a sum over other epochs cannot be taken apart.
	 */
	private WeightAverage averageToContinue(WeightAverage saved, int epochsDone) {
		int first = config.firstAveragedEpoch();
		if (saved.count() == 0 || saved.firstEpoch() == first) return saved;
		listener.log(config.averageEpochs() == 0 ? "The checkpoint's weight average (from epoch " + saved.firstEpoch() + ") is dropped: average_epochs is 0"
				: "The checkpoint's weight average began at epoch " + saved.firstEpoch() + ", but these settings average from epoch " + first
						+ ": averaging starts again at epoch " + Math.max(first, epochsDone + 1));
		return new WeightAverage();
	}

	/**
	 * Validates the mean weights and writes them to the model file when they beat the best epoch; returns their outcome,
	 * or null when no epoch validated (nothing to compare with).
	 */
	private Averaged keepTheBetter(ComputationGraph graph, WeightAverage average, List<DataSet> validation, int bestEpoch,
			double best) throws IOException {
		if (bestEpoch == 0 || !java.nio.file.Files.exists(config.modelOut())) return null;
		ComputationGraph mean = graph.clone();
		mean.setParams(average.mean());
		double loss = validationLoss(mean, validation);
		Averaged averaged = new Averaged(average.epochs(), loss, loss < best);
		listener.log(String.format("Mean weights of %s: validation loss %.5f (PSNR %.2f dB), best epoch %d: %.5f (%.2f dB); the model file holds %s",
				averaged.epochs(), loss, 10 * Math.log10(1 / loss), bestEpoch, best, 10 * Math.log10(1 / best),
				averaged.kept() ? "the mean" : "the best epoch"));
		if (averaged.kept()) {
			ModelFile kept = ModelFile.read(config.modelOut()); // its record is rewritten by finish()
			new ModelFile(kept.info(), OnnxExporter.export(mean, version())).write(config.modelOut());
		}
		return averaged;
	}

	/**
	 * Rewrites the model file's record with the whole run (epochs done, time, the weight average), keeping its weights
	 * (the best epoch's, or the mean); returns the run's result.
	 */
	private Result finish(UNetSpec spec, int planes, PatchSampler sampler, Result result) throws IOException {
		if (result.bestEpoch() == 0 || !java.nio.file.Files.exists(config.modelOut())) return result;
		new ModelFile(modelInfo(spec, planes, sampler, result), ModelFile.read(config.modelOut()).onnx()).write(config.modelOut());
		return result;
	}

	private record Start(ComputationGraph graph, Checkpoint.State state, WeightAverage average) {}

	/**
	 * Checks the {@code start_from} model before any epoch runs: its network must be the one these settings
	 * build (dropout aside, which only acts in training), or its weights would not fit; a blind model may start a
	 * told one.
	 */
	static void checkFits(ModelFile file, UNetSpec spec) {
		UNetSpec theirs = UNetSpec.fromMap(file.info().network());
		if (theirs.channels() != spec.channels())
			throw new IllegalArgumentException("start_from model '" + file.info().name() + "' takes " + theirs.channels() + "-channel images but the training images have "
					+ spec.channels() + (theirs.channels() == 1 ? "; set as_grey=true to train it on grey versions" : "; start from a model for " + spec.channels() + "-channel images"));
		// more base filters works: the added ones start unconnected to the output
		if (theirs.depth() != spec.depth() || theirs.baseFilters() > spec.baseFilters() || theirs.residual() != spec.residual()
				|| theirs.inputScale() != spec.inputScale())
			throw new IllegalArgumentException("start_from model '" + file.info().name() + "' is a U-Net of depth " + theirs.depth() + " with " + theirs.baseFilters()
					+ " base filters" + (theirs.residual() ? "" : ", direct=true") + "; set depth=" + theirs.depth() + ",base_filters=" + theirs.baseFilters()
					+ (theirs.residual() ? ",direct=false" : ",direct=true") + " (or a larger base_filters) to fine-tune it");
		if (theirs.refineConvs() > spec.refineConvs()) // fewer works: the extra ones start as identities
			throw new IllegalArgumentException("start_from model '" + file.info().name() + "' has " + theirs.refineConvs()
					+ " refinement convolutions; set refine_convs=" + theirs.refineConvs() + " (or more) to fine-tune it");
		if (theirs.condition() != null && !theirs.condition().equals(spec.condition())) // a blind model may start a told one: the condition's weights at zero
			throw new IllegalArgumentException("start_from model '" + file.info().name() + "' is told the " + theirs.condition().replace('_', ' ') + "; set "
					+ (UNetSpec.BLUR_SIGMA.equals(theirs.condition()) ? "blur_known=true" : "as_opponent=true,luminance_guide=true") + " to fine-tune it");
	}

	/**
	 * How the model training started from was made, and the one it started from, and so on, nearest first: each entry
	 * is a model's name and training record. A flat list, so the record's nesting stays bounded however often a model
	 * is fine-tuned (model files refuse deeply nested metadata).
	 */
	static List<Map<String, Object>> startingChain(ModelInfo start) {
		Map<String, Object> record = new LinkedHashMap<>(start.training());
		Object earlier = record.remove("start_from_chain");
		List<Map<String, Object>> chain = new ArrayList<>();
		chain.add(Map.of("model", start.name(), "training", record));
		if (earlier instanceof List<?> list)
			for (Object entry : list)
				if (entry instanceof Map<?, ?> m) chain.add(new LinkedHashMap<>(castKeys(m)));
		return chain;
	}

	private static Map<String, Object> castKeys(Map<?, ?> m) {
		Map<String, Object> out = new LinkedHashMap<>();
		m.forEach((k, v) -> out.put(String.valueOf(k), v));
		return out;
	}

	/**
	 * A new network, or the checkpointed one when resuming with the same settings; made with our class loader as the
	 * context class loader, on which ND4J looks for its backend.
	 */
	private Start start(UNetSpec spec, Checkpoint checkpoint, String settings) throws IOException {
		return PluginClassLoader.asContext(() -> {
			Nd4jNatives.load();
			if (config.resume() && checkpoint.exists()) {
				Checkpoint.State state = checkpoint.loadState();
				if (!settings.equals(state.settings()))
					throw new IllegalArgumentException("The checkpoint in " + checkpoint.folder() + " was written with other settings "
							+ state.settings() + "; use the same settings, or restart=true to start over");
				listener.log("Resuming from " + checkpoint.folder() + " after epoch " + state.epochsDone());
				return new Start(checkpoint.loadNetwork(state), state, checkpoint.loadAverage(state));
			}
			ComputationGraph graph = UNet.build(spec, config.patchSize(), config.learningRate(), config.seed());
			if (startModel != null) {
				UNetSpec theirs = UNetSpec.fromMap(startModel.info().network()); // checkFits allowed only these three differences
				boolean addCondition = spec.condition() != null && theirs.condition() == null;
				int theirRefine = theirs.refineConvs();
				boolean addRefine = spec.refineConvs() > theirRefine;
				boolean widen = spec.baseFilters() > theirs.baseFilters();
				OnnxWeights.copyInto(startModel.onnx(), graph, addCondition, addRefine, widen);
				listener.log("Starting from the weights of model '" + startModel.info().name() + "' (" + config.startFrom() + ")"
						+ (addCondition ? ", blind: the " + spec.condition().replace('_', ' ') + "'s weights start at zero" : "")
						+ (addRefine ? ", with " + theirRefine + " refinement convolutions: the " + (spec.refineConvs() - theirRefine) + " added start as identities" : "")
						+ (widen ? ", with " + theirs.baseFilters() + " base filters: the added filters start unconnected to the output" : ""));
			}
			return new Start(graph, new Checkpoint.State(0, Double.POSITIVE_INFINITY, 0, 0, settings, new ArrayList<>(), null), new WeightAverage());
		});
	}

	private static List<DataSet> validationBatches(PatchSampler sampler) {
		List<DataSet> out = new ArrayList<>();
		List<PatchSampler.Pair> all = sampler.validation();
		for (int i = 0; i < all.size(); i += VALIDATION_BATCH)
			out.add(PatchDataSetIterator.toDataSet(all.subList(i, Math.min(all.size(), i + VALIDATION_BATCH))));
		return out;
	}

	/**
	 * Mean squared error over all validation pixels, network in inference mode (no dropout); with loss weights (the
	 * labels mask), each pixel's error weighted as in training, which for Noise2Void is the mean over the masked pixels.
	 */
	static double validationLoss(ComputationGraph graph, List<DataSet> validation) {
		double sum = 0;
		long n = 0;
		for (DataSet ds : validation) {
			INDArray out = graph.outputSingle(false, ds.getFeatures());
			INDArray diff = out.sub(ds.getLabels());
			diff.muli(diff);
			if (ds.getLabelsMaskArray() != null) diff.muli(ds.getLabelsMaskArray());
			sum += diff.sumNumber().doubleValue();
			n += out.length();
		}
		return sum / n;
	}

	/** The model file's metadata; its training record holds the run so far, as {@code result} gives it. */
	private ModelInfo modelInfo(UNetSpec spec, int planes, PatchSampler sampler, Result result) {
		Map<String, Object> training = new LinkedHashMap<>();
		training.put("images", config.images().toAbsolutePath().normalize().toString());
		training.put("image_files", imageNames); // the data, by name: the folder alone does not say what was in it
		training.put("as_grey", config.asGrey());
		if (config.asOpponent()) training.put("as_opponent", true);
		if (config.luminanceGuide()) training.put(ModelInfo.LUMINANCE_MODEL, luminanceModel()); // Restorer restores the luminance with it
		training.put("mode", config.degraded() == null ? "synthetic" : "pairs");
		training.put("planes", planes);
		training.put("validation_patches", sampler.validation().size());
		training.put("patch_size", config.patchSize());
		training.put("batch_size", config.batchSize());
		training.put("epochs", config.epochs());
		training.put("epochs_done", result.history().size());
		training.put("steps_per_epoch", config.stepsPerEpoch());
		training.put("learning_rate", config.learningRate());
		training.put("seed", config.seed());
		if (startModel != null) {
			training.put("start_from", startModel.info().name());
			training.put("start_from_chain", startingChain(startModel.info()));
		}
		training.put("best_epoch", result.bestEpoch());
		training.put("best_validation_loss", result.bestValidationLoss());
		Averaged averaged = result.averaged();
		if (config.averageEpochs() > 0) {
			training.put("average_epochs", config.averageEpochs());
			training.put("weights", result.holdsMean() ? "mean of " + averaged.epochs() : "best epoch");
		}
		if (averaged != null) {
			training.put("averaged", averaged.epochs());
			training.put("averaged_validation_loss", averaged.validationLoss());
		}
		training.put("validation_psnr_normalized", result.validationPsnr()); // of the weights in the file
		training.put("seconds", Math.round(result.seconds()));
		training.put("created", Instant.now().toString());
		training.put("imagify_version", version());
		String description = (config.degraded() == null ? "Restores " + config.degradation().describe() : "Restores images like " + config.degraded())
				+ (config.blurKnown() ? ", told the blur sigma" : "") + ", trained on " + config.images().getFileName();
		return new ModelInfo(config.modelName(), description, spec.channels(), spec.sizeMultiple(), spec.receptiveFieldRadius(),
				TrainingConfig.NORMALIZATION, config.degraded() == null ? config.degradation().toMap() : Map.of("type", "pairs"),
				spec.toMap(), training);
	}

	/** The grey model a luminance-told model names: start_from, or the one it names when it is itself told the luminance (a fine-tune). */
	private String luminanceModel() {
		Object inherited = startModel.info().training().get(ModelInfo.LUMINANCE_MODEL);
		return UNetSpec.LUMINANCE.equals(startModel.info().condition()) && inherited != null ? inherited.toString() : config.startFrom();
	}

	static String version() {
		String v = Trainer.class.getPackage().getImplementationVersion();
		return v == null ? "dev" : v;
	}
}
