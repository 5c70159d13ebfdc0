package io.github.imagify.train;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.AsyncDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;

import io.github.imagify.blindspot.BlindSpotMasker;
import io.github.imagify.bundled.BundledModels;
import io.github.imagify.data.PairPreparation;
import io.github.imagify.data.PatchDataSetIterator;
import io.github.imagify.data.PatchSampler;
import io.github.imagify.data.TrainingImage;
import io.github.imagify.data.TrainingImages;
import io.github.imagify.data.TrainingVolume;
import io.github.imagify.data.TrainingVolumes;
import io.github.imagify.data.VolumePairPreparation;
import io.github.imagify.data.VolumePatchDataSetIterator;
import io.github.imagify.data.VolumePatchSampler;
import io.github.imagify.data.VoxelSize;
import io.github.imagify.degrade.VolumeDegradation;
import io.github.imagify.degrade.VolumeDegradations;
import io.github.imagify.blindspot.BlindSpotMasker3D;
import io.github.imagify.degrade.Degradation;
import io.github.imagify.model.UNet;
import io.github.imagify.model.UNetSpec;
import io.github.imagify.modelfile.ModelFile;
import io.github.imagify.modelfile.ModelInfo;
import io.github.imagify.neighbour.NeighbourSubsampler;
import io.github.imagify.onnx.OnnxExporter;
import io.github.imagify.onnx.OnnxWeights;
import io.github.imagify.plugin.PluginClassLoader;

/**
 * Trains a U-Net on a folder of images and writes the best model (by validation loss) as an Imagify model
 * file. Every epoch: {@code steps_per_epoch} Adam steps on fresh random patches, the validation loss on the
 * fixed validation patches, the model file rewritten when validation improved, and a checkpoint to resume from.
 * With {@code average_epochs}, the weights after each of the last epochs are summed, and after the last epoch their
 * mean replaces the best epoch's in the model file if it validates better.
 * <p>
 * The method ({@link TrainingMethod}) decides what a patch pair is: degraded and clean (supervised), masked noisy and
 * noisy with only the masked pixels scored (Noise2Void, masked on the producer thread; its validation patches are
 * masked once, with a fixed seed), or two noisy acquisitions in a random direction (Noise2Noise). The loop, the
 * checkpoints, the weight average and the model file are the same for all.
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

		/** Their PSNR against the clean reference images (self-supervised training with {@code clean}), or NaN. */
		public double referencePsnr() {
			if (holdsMean()) return averaged.referencePsnr();
			return history.stream().filter(e -> e.epoch() == bestEpoch).mapToDouble(EpochResult::referencePsnr).findFirst().orElse(Double.NaN);
		}
	}

	/**
	 * Which epochs' weights were averaged ("epochs 3-4"), their mean's validation loss (and PSNR against the clean
	 * reference, NaN without one), and whether the model file holds the mean.
	 */
	public record Averaged(String epochs, double validationLoss, double referencePsnr, boolean kept) {}

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
		startModel = config.startFrom() == null ? null : BundledModels.resolve(config.startFrom()); // a wrong name fails before images load
		OneDnn.enable(); // before DL4J builds any layer
		// the validation batches are ND4J arrays: ND4J loads first, quietly and on our class loader (Fiji's may not see it)
		TrainingData data = PluginClassLoader.asContext(() -> {
			Nd4jNatives.load();
			return config.is3d() ? volumes() : planes();
		});
		imageNames = data.names();
		UNetSpec spec = new UNetSpec(data.channels(), config.depth(), config.baseFilters(), config.dropout(), config.residual(), 1.0,
				config.blurKnown() ? UNetSpec.BLUR_SIGMA : config.luminanceGuide() ? UNetSpec.LUMINANCE : null, config.refineConvs(), config.topSkip(), config.blurPool());
		if (data.volumes()) spec = spec.withDims(3, data.poolZ());
		if (startModel != null) checkFits(startModel, spec);
		listener.log(String.format("Training on %d %s from %s: %d training region(s), %d validation patch(es) of %s, %s", data.names().size(), data.unit(),
				config.images(), data.trainingCells(), data.validationPatches(), data.patchShape(), describeData()));

		Checkpoint checkpoint = new Checkpoint(config.modelOut());
		String settings = new com.google.gson.Gson().toJson(config.resumeKey());
		Start begin = start(spec, checkpoint, settings);
		ComputationGraph graph = begin.graph();
		Checkpoint.State state = begin.state();
		OneDnn.Status oneDnn = OneDnn.check(graph);
		listener.log(oneDnn.active() ? oneDnn.toString() : "Warning: " + oneDnn);
		listener.log(String.format("U-Net depth %d, base filters %d%s, %,d parameters, residual %s%s%s%s", spec.depth(), spec.baseFilters(),
				spec.refineConvs() == 0 ? "" : ", " + spec.refineConvs() + " refinement convolutions", graph.numParams(), spec.residual(),
				spec.topSkip() ? "" : ", no top skip connection", spec.blurPool() ? ", blur pooling" : "", spec.condition() == null ? "" : ", told the " + spec.condition().replace('_', ' ')));

		List<EpochResult> history = new ArrayList<>(state.history());
		double best = state.bestValidationLoss();
		int bestEpoch = state.bestEpoch();
		double seconds = state.secondsSoFar();
		List<DataSet> validation = data.validation(), reference = data.reference();
		TrainingStep step = config.method() == TrainingMethod.NEIGHBOR2NEIGHBOR
				? new Neighbor2NeighborStep(config.consistencyWeight(), config.epochs(), config.seed())
				: TrainingStep.PLAIN;
		WeightAverage average = averageToContinue(begin.average(), state.epochsDone());
		for (int epoch = state.epochsDone(); epoch < config.epochs(); epoch++) {
			long start = System.nanoTime();
			double lr = config.learningRateAt(epoch);
			graph.setLearningRate(lr);
			// one seed per epoch: a resumed run draws the same patches as an uninterrupted one. One producer thread
			// draws and degrades the next batches while DL4J computes this one; alone, it keeps the same order.
			AsyncDataSetIterator batches = new AsyncDataSetIterator(data.batches().epoch(config.seed() * 1_000_003L + epoch), PREFETCH_BATCHES, false);
			double lossSum = 0;
			int steps = 0;
			try {
				while (batches.hasNext()) {
					if (listener.isCancelled()) {
						listener.log("Training cancelled in epoch " + (epoch + 1) + "; the model file keeps the best epoch so far (" + bestEpoch + ")");
						return finish(spec, data, new Result(history, bestEpoch, best, null, seconds, true));
					}
					double loss = step.fit(graph, batches.next(), epoch);
					lossSum += loss;
					steps++;
					listener.iteration(epoch + 1, steps, config.stepsPerEpoch(), loss);
				}
			} finally {
				batches.shutdown();
			}
			double validationLoss = validationLoss(graph, validation);
			double referencePsnr = reference.isEmpty() ? Double.NaN : 10 * Math.log10(1 / validationLoss(graph, reference));
			boolean improved = validationLoss < best;
			seconds += (System.nanoTime() - start) / 1e9;
			EpochResult result = new EpochResult(epoch + 1, config.epochs(), lossSum / steps, validationLoss,
					10 * Math.log10(1 / validationLoss), lr, improved, (System.nanoTime() - start) / 1e9, referencePsnr);
			history.add(result);
			if (improved) {
				best = validationLoss;
				bestEpoch = epoch + 1;
				ModelInfo info = modelInfo(spec, data, new Result(history, bestEpoch, best, null, seconds, false));
				new ModelFile(info, OnnxExporter.export(graph, version())).write(config.modelOut());
			}
			if (epoch + 1 >= config.firstAveragedEpoch()) average.add(graph.params(), epoch + 1);
			checkpoint.save(graph, new Checkpoint.State(epoch + 1, best, bestEpoch, seconds, settings, history, null), average);
			listener.log(String.format("Epoch %d/%d: train loss %.5f, validation loss %.5f (%s)%s%s, lr %.2g, %.1f s",
					epoch + 1, config.epochs(), result.trainLoss(), validationLoss, config.method().describeValidation(validationLoss),
					reference.isEmpty() ? "" : String.format(", PSNR %.2f dB against the clean images", referencePsnr), improved ? ", best so far" : "",
					lr, result.seconds()));
			listener.epochDone(result);
		}
		Averaged averaged = average.count() > 0 ? keepTheBetter(graph, average, validation, reference, bestEpoch, best) : null;
		return finish(spec, data, new Result(history, bestEpoch, best, averaged, seconds, false));
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
	private Averaged keepTheBetter(ComputationGraph graph, WeightAverage average, List<DataSet> validation, List<DataSet> reference,
			int bestEpoch, double best) throws IOException {
		if (bestEpoch == 0 || !java.nio.file.Files.exists(config.modelOut())) return null;
		ComputationGraph mean = graph.clone();
		mean.setParams(average.mean());
		double loss = validationLoss(mean, validation);
		double referencePsnr = reference.isEmpty() ? Double.NaN : 10 * Math.log10(1 / validationLoss(mean, reference));
		Averaged averaged = new Averaged(average.epochs(), loss, referencePsnr, loss < best);
		listener.log(String.format("Mean weights of %s: validation loss %.5f (%s), best epoch %d: %.5f (%s); the model file holds %s",
				averaged.epochs(), loss, config.method().describeValidation(loss), bestEpoch, best, config.method().describeValidation(best),
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
	private Result finish(UNetSpec spec, TrainingData data, Result result) throws IOException {
		if (result.bestEpoch() == 0 || !java.nio.file.Files.exists(config.modelOut())) return result;
		new ModelFile(modelInfo(spec, data, result), ModelFile.read(config.modelOut()).onnx()).write(config.modelOut());
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
		if (theirs.dims() != spec.dims())
			throw new IllegalArgumentException("start_from model '" + file.info().name() + "' is a " + theirs.dims() + "D model; set dims='" + theirs.dims()
					+ "d' to fine-tune it, or start from a " + spec.dims() + "D model");
		if (spec.is3d() && theirs.poolZ() != spec.poolZ())
			throw new IllegalArgumentException("start_from model '" + file.info().name() + "' " + (theirs.poolZ() ? "pools" : "does not pool") + " in Z; set pool_z="
					+ theirs.poolZ() + " to fine-tune it");
		if (spec.is3d() && theirs.baseFilters() != spec.baseFilters()) // widening copies 2D kernels only
			throw new IllegalArgumentException("start_from model '" + file.info().name() + "' is a 3D U-Net with " + theirs.baseFilters() + " base filters; set base_filters="
					+ theirs.baseFilters() + " to fine-tune it");
		if (theirs.channels() != spec.channels())
			throw new IllegalArgumentException("start_from model '" + file.info().name() + "' takes " + theirs.channels() + "-channel images but the training images have "
					+ spec.channels() + (theirs.channels() == 1 ? "; set as_grey=true to train it on grey versions" : "; start from a model for " + spec.channels() + "-channel images"));
		// more base filters works: the added ones start unconnected to the output
		if (theirs.depth() != spec.depth() || theirs.baseFilters() > spec.baseFilters() || theirs.residual() != spec.residual()
				|| theirs.inputScale() != spec.inputScale())
			throw new IllegalArgumentException("start_from model '" + file.info().name() + "' is a U-Net of depth " + theirs.depth() + " with " + theirs.baseFilters()
					+ " base filters" + (theirs.residual() ? "" : ", direct=true") + "; set depth=" + theirs.depth() + ",base_filters=" + theirs.baseFilters()
					+ (theirs.residual() ? ",direct=false" : ",direct=true") + " (or a larger base_filters) to fine-tune it");
		if (theirs.topSkip() != spec.topSkip())
			throw new IllegalArgumentException("start_from model '" + file.info().name() + "' is a U-Net " + (theirs.topSkip() ? "with" : "without")
					+ " the top skip connection; set top_skip=" + theirs.topSkip() + " to fine-tune it");
		if (theirs.blurPool() != spec.blurPool())
			throw new IllegalArgumentException("start_from model '" + file.info().name() + "' is a U-Net " + (theirs.blurPool() ? "with N2V2's blur pooling" : "with max-pooling")
					+ "; set blur_pool=" + theirs.blurPool() + " to fine-tune it");
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
			ComputationGraph graph = spec.is3d() ? UNet.build(spec, config.patchSize(), config.patchDepth(), config.learningRate(), config.seed())
					: UNet.build(spec, config.patchSize(), config.learningRate(), config.seed());
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

	/** The training planes, their patches and the method's preparation of them (2D). */
	private TrainingData planes() throws IOException {
		Degradation degradation = config.degraded() == null ? config.trainingDegradation() : null;
		List<TrainingImage> images = loadImages(degradation);
		PatchSampler sampler = new PatchSampler(images, config.patchSize(), degradation, config.validationFraction(), config.seed());
		PairPreparation preparation = preparation();
		// the validation patches are prepared once, with a fixed seed, so their loss compares across epochs
		List<DataSet> validation = batches(sampler.validation(), validationPreparation(preparation), new Random(config.seed() ^ 0x2545F4914F6CDD1DL));
		List<DataSet> reference = batches(sampler.referenceValidation(), PairPreparation.NONE, null);
		return new TrainingData(images.stream().map(TrainingImage::name).toList(), "plane(s)", sampler.channels(), sampler.trainingCells(),
				sampler.validation().size(), config.patchSize() + "x" + config.patchSize(), validation, reference,
				seed -> new PatchDataSetIterator(sampler, config.batchSize(), config.stepsPerEpoch(), seed, preparation), null);
	}

	/**
	 * The training Z-stacks (every channel and time point a volume), their 3D patches and the method's preparation of
	 * them; pooling in Z as the key says, or as the images' voxel size suggests.
	 */
	private TrainingData volumes() throws IOException {
		VolumeDegradation degradation = config.degraded() == null && !config.method().selfSupervised()
				? VolumeDegradations.of(config.degradation(), config.blurSigmaZ()) : null;
		List<TrainingVolume> volumes = switch (config.method()) {
			case SUPERVISED -> TrainingVolumes.load(config.images(), config.degraded(), degradation, TrainingConfig.NORMALIZATION, config.seed());
			case NOISE2VOID, NEIGHBOR2NEIGHBOR -> TrainingVolumes.loadNoisy(config.images(), null, config.clean(), TrainingConfig.NORMALIZATION);
			case NOISE2NOISE -> TrainingVolumes.loadNoisy(config.images(), config.degraded(), config.clean(), TrainingConfig.NORMALIZATION);
		};
		boolean poolZ;
		if (config.poolZ() != null) {
			poolZ = config.poolZ();
			listener.log("Pooling in Z: " + poolZ + " (pool_z)");
		} else if (startModel != null && startModel.info().is3d()) { // a fine-tune keeps the network it starts from
			poolZ = Boolean.TRUE.equals(startModel.info().network().get(ModelInfo.POOL_Z));
			listener.log("Pooling in Z: " + poolZ + " (as start_from model '" + startModel.info().name() + "'; pool_z=true or false overrides)");
		} else {
			VoxelSize.PoolZSuggestion suggested = TrainingVolumes.suggestPoolZ(volumes);
			poolZ = suggested.poolZ();
			listener.log("Pooling in Z: " + poolZ + " (" + suggested.description() + "; pool_z=true or false overrides)");
		}
		int multipleZ = poolZ ? 1 << config.depth() : 1;
		if (config.patchDepth() % multipleZ != 0)
			throw new IllegalArgumentException("patch_planes " + config.patchDepth() + " must be a multiple of 2^depth = " + multipleZ
					+ " when the network pools in Z; try patch_planes=" + ((config.patchDepth() / multipleZ + 1) * multipleZ) + " or pool_z=false");
		VolumePatchSampler sampler = new VolumePatchSampler(volumes, new VolumePatchSampler.PatchShape(config.patchSize(), config.patchDepth()),
				degradation, config.validationFraction(), config.seed());
		// as for planes: Neighbor2Neighbor's patches pass whole, to be sub-sampled after the network's pass in Neighbor2NeighborStep
		VolumePairPreparation preparation = switch (config.method()) {
			case NOISE2VOID -> new BlindSpotMasker3D(config.masking());
			case NOISE2NOISE -> VolumePairPreparation.RANDOM_DIRECTION;
			case SUPERVISED, NEIGHBOR2NEIGHBOR -> VolumePairPreparation.NONE;
		};
		VolumePairPreparation validationPreparation = switch (config.method()) {
			case NOISE2VOID -> preparation;
			case NEIGHBOR2NEIGHBOR -> NeighbourSubsampler.SUB_VOLUME_PAIRS;
			case SUPERVISED, NOISE2NOISE -> VolumePairPreparation.NONE;
		};
		Random validationRng = new Random(config.seed() ^ 0x2545F4914F6CDD1DL);
		List<VolumePatchSampler.Pair> validationPairs = sampler.validation().stream().map(p -> validationPreparation.prepare(p, validationRng)).toList();
		return new TrainingData(volumes.stream().map(TrainingVolume::name).toList(), "volume(s)", sampler.channels(), sampler.trainingCells(),
				validationPairs.size(), config.patchDepth() + "x" + config.patchSize() + "x" + config.patchSize(), volumeBatches(validationPairs),
				volumeBatches(sampler.referenceValidation()),
				seed -> new VolumePatchDataSetIterator(sampler, config.batchSize(), config.stepsPerEpoch(), seed, preparation), poolZ);
	}

	/** Fixed volume pairs in batches of {@link #VALIDATION_BATCH}. */
	private static List<DataSet> volumeBatches(List<VolumePatchSampler.Pair> pairs) {
		List<DataSet> out = new ArrayList<>();
		for (int i = 0; i < pairs.size(); i += VALIDATION_BATCH)
			out.add(VolumePatchDataSetIterator.toDataSet(pairs.subList(i, Math.min(pairs.size(), i + VALIDATION_BATCH))));
		return out;
	}

	/**
	 * The training planes as the method reads them: clean images (degraded synthetically, or with their degraded pairs),
	 * RGB images' opponent planes, or noisy images (alone, or with their second acquisitions; with their clean
	 * reference when {@code clean} is given).
	 */
	private List<TrainingImage> loadImages(Degradation degradation) throws IOException {
		return switch (config.method()) {
			case NOISE2VOID, NEIGHBOR2NEIGHBOR -> TrainingImages.loadNoisy(config.images(), null, config.clean(), TrainingConfig.NORMALIZATION, config.asGrey(),
					!config.jointChannels());
			case NOISE2NOISE -> TrainingImages.loadNoisy(config.images(), config.degraded(), config.clean(), TrainingConfig.NORMALIZATION, config.asGrey(),
					false);
			case SUPERVISED -> config.asOpponent()
					? TrainingImages.loadOpponentPlanes(config.images(), degradation, TrainingConfig.NORMALIZATION, config.seed(), config.luminanceGuide())
					: TrainingImages.load(config.images(), config.degraded(), degradation, TrainingConfig.NORMALIZATION, config.seed(), config.asGrey());
		};
	}

	/** What the log says the patches are made of. */
	private String describeData() {
		String reference = config.clean() == null ? "" : ", validated against the clean images in " + config.clean();
		return switch (config.method()) {
			case NOISE2VOID -> "noise2void: " + config.masking().describe() + reference;
			case NOISE2NOISE -> "noise2noise: pairs with the second acquisitions in " + config.degraded() + ", in random order" + reference;
			case NEIGHBOR2NEIGHBOR -> String.format("neighbor2neighbor: %s, consistency weight rising to %s",
					config.is3d() ? "neighbour sub-volumes of half the height and width, every plane kept" : "half-size neighbour sub-images",
					config.consistencyWeight()) + reference;
			case SUPERVISED -> config.degraded() == null ? config.degradation().describe() : "pairs from " + config.degraded();
		};
	}

	/**
	 * What becomes of each drawn pair, on the producer thread. Neighbor2Neighbor's patches pass whole: its sub-sampling
	 * comes after the network's pass over the whole patch, in {@link Neighbor2NeighborStep}.
	 */
	private PairPreparation preparation() {
		return switch (config.method()) {
			case NOISE2VOID -> new BlindSpotMasker(config.masking());
			case NOISE2NOISE -> PairPreparation.RANDOM_DIRECTION;
			case SUPERVISED, NEIGHBOR2NEIGHBOR -> PairPreparation.NONE;
		};
	}

	/**
	 * What becomes of the validation pairs, once: Noise2Void's masking, or Neighbor2Neighbor's two sub-images, one the
	 * other's target (the loss without the consistency term, which depends on the network); the pairs as drawn otherwise.
	 */
	private PairPreparation validationPreparation(PairPreparation training) {
		return switch (config.method()) {
			case NOISE2VOID -> training;
			case NEIGHBOR2NEIGHBOR -> NeighbourSubsampler.SUB_IMAGE_PAIRS;
			case SUPERVISED, NOISE2NOISE -> PairPreparation.NONE;
		};
	}

	/** Fixed pairs, prepared with {@code rng}, in batches of {@link #VALIDATION_BATCH}. */
	private static List<DataSet> batches(List<PatchSampler.Pair> pairs, PairPreparation preparation, Random rng) {
		List<DataSet> out = new ArrayList<>();
		List<PatchSampler.Pair> prepared = pairs.stream().map(p -> preparation.prepare(p, rng)).toList();
		for (int i = 0; i < prepared.size(); i += VALIDATION_BATCH)
			out.add(PatchDataSetIterator.toDataSet(prepared.subList(i, Math.min(prepared.size(), i + VALIDATION_BATCH))));
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
	private ModelInfo modelInfo(UNetSpec spec, TrainingData data, Result result) {
		Map<String, Object> training = new LinkedHashMap<>();
		training.put("images", config.images().toAbsolutePath().normalize().toString());
		training.put("image_files", imageNames); // the data, by name: the folder alone does not say what was in it
		training.put("as_grey", config.asGrey());
		if (config.asOpponent()) training.put("as_opponent", true);
		if (config.luminanceGuide()) training.put(ModelInfo.LUMINANCE_MODEL, luminanceModel()); // Restorer restores the luminance with it
		training.put("mode", config.method().selfSupervised() ? config.method().key() : config.degraded() == null ? "synthetic" : "pairs");
		training.put("method", config.method().key());
		if (config.method() == TrainingMethod.NOISE2VOID) {
			training.put("masking", config.masking().toMap());
			training.put("joint_channels", config.jointChannels());
		}
		if (config.method() == TrainingMethod.NEIGHBOR2NEIGHBOR) {
			training.put("consistency_weight", config.consistencyWeight());
			training.put("joint_channels", config.jointChannels());
		}
		if (config.method() == TrainingMethod.NOISE2NOISE) training.put("partners", config.degraded().toAbsolutePath().normalize().toString());
		if (config.clean() != null) training.put("clean", config.clean().toAbsolutePath().normalize().toString());
		training.put(data.volumes() ? "volumes" : "planes", data.names().size());
		training.put("validation_patches", data.validationPatches());
		training.put("patch_size", config.patchSize());
		if (data.volumes()) training.put("patch_planes", config.patchDepth());
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
		// of the weights in the file; against noisy targets for noise2noise, no PSNR at all for noise2void's masked pixels
		if (config.method() != TrainingMethod.NOISE2VOID) training.put("validation_psnr_normalized", result.validationPsnr());
		if (config.method() == TrainingMethod.NOISE2NOISE || config.method() == TrainingMethod.NEIGHBOR2NEIGHBOR) training.put("validation_target", "noisy");
		double referencePsnr = result.referencePsnr();
		if (!Double.isNaN(referencePsnr)) training.put("clean_psnr_normalized", referencePsnr);
		training.put("seconds", Math.round(result.seconds()));
		training.put("created", Instant.now().toString());
		training.put("imagify_version", version());
		return new ModelInfo(config.modelName(), description(), spec.channels(), spec.sizeMultiple(), spec.receptiveFieldRadius(),
				TrainingConfig.NORMALIZATION, degradationRecord(), spec.toMap(), training);
	}

	/**
	 * The model's one line for people, which Denoise logs beside its name: what it restores and, for a self-supervised
	 * model, how it learnt it.
	 */
	private String description() {
		String data = ", trained on " + config.images().getFileName();
		return switch (config.method()) {
			case NOISE2VOID -> "Denoises images like " + config.images().getFileName() + ", trained self-supervised with noise2void (" + config.masking().describe() + ")";
			case NEIGHBOR2NEIGHBOR -> "Denoises images like " + config.images().getFileName() + ", trained self-supervised with neighbor2neighbor";
			case NOISE2NOISE -> "Denoises images like " + config.images().getFileName() + ", trained self-supervised with noise2noise on second acquisitions in "
					+ config.degraded().getFileName();
			case SUPERVISED -> (config.degraded() == null ? "Restores " + config.degradation().describe() : "Restores images like " + config.degraded())
					+ (config.blurKnown() ? ", told the blur sigma" : "") + data;
		};
	}

	/**
	 * What the model undoes, as the model file's degradation record says it: a synthetic degradation, "pairs", or the
	 * self-supervised method, the noise of the images themselves. Only a synthetic degradation acts on every colour
	 * channel alike, which lets a grey model restore RGB in opponent colours ({@link io.github.imagify.restore.Restorer}).
	 */
	private Map<String, Object> degradationRecord() {
		if (config.method().selfSupervised()) return Map.of("type", config.method().key());
		return config.degraded() == null ? config.degradation().toMap() : Map.of("type", "pairs");
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
