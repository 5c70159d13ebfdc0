package io.github.imagify.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.imagify.blindspot.BlindSpotMasker3D;
import io.github.imagify.blindspot.BlindSpotMasking;
import io.github.imagify.data.TrainingImages;
import io.github.imagify.degrade.Degradation;
import io.github.imagify.degrade.DegradationSpec;
import io.github.imagify.degrade.KnownBlur;
import io.github.imagify.image.Normalization;
import io.github.imagify.model.UNetSpec;

/**
 * Everything a training run needs, as the Train command's keys give it: made by name with {@link #builder()}, which
 * starts from the keys' defaults, and checked as a whole when built. The network's channel count comes from the images.
 *
 * @param images         folder of clean images; of noisy images for self-supervised methods
 * @param degraded       folder of degraded partners with the same names (pairs mode), or null for synthetic degradation;
 *                       for noise2noise, the second noisy acquisitions of the same scenes
 * @param degradation    synthetic degradation (ignored in pairs mode, but recorded); null for self-supervised methods
 * @param modelOut       model file to write (the best model by validation loss)
 * @param asGrey         convert RGB training images to grey, to train a single-channel model
 * @param startFrom      a model file or bundled model name whose weights training starts from (fine-tuning), or null
 * @param blurKnown      train a model that is told each patch's blur sigma (non-blind); restoring then needs the sigma
 * @param refineConvs    extra 3x3 convolutions at full resolution before the head ({@link UNetSpec#refineConvs})
 * @param asOpponent     train a grey model on the opponent colour planes of RGB images, as it restores RGB
 *                       ({@link io.github.imagify.data.TrainingImages#loadOpponentPlanes})
 * @param luminanceGuide with asOpponent: train a model for the two colour differences that is given the noisy
 *                       luminance beside them ({@link UNetSpec#LUMINANCE}); the luminance is restored by the
 *                       start_from model, which the model file names
 * @param averageEpochs  0, or how many last epochs' weights to average: after the last epoch the model file holds
 *                       their mean if it validates better than the best epoch ({@link WeightAverage})
 * @param method         how the network learns: from clean targets, or from noisy images alone ({@link TrainingMethod})
 * @param masking        noise2void's blind-spot masking (the defaults for the other methods)
 * @param clean          for self-supervised methods, an optional folder of the clean truth of the training images
 *                       (same names), against which each epoch's validation reports a PSNR; null otherwise
 * @param jointChannels  noise2void on RGB images: one RGB model rather than a grey one trained channel by channel
 * @param topSkip        the U-Net's full-resolution skip connection; N2V2 drops it against checkerboard artefacts
 *                       ({@link UNetSpec#topSkip})
 * @param blurPool       N2V2's max blur pool in the U-Net's encoder instead of max-pooling, against checkerboard artefacts
 *                       ({@link UNetSpec#blurPool})
 * @param dims           2: the network restores planes; 3: Z-stacks as volumes (each channel and time point one volume)
 * @param patchDepth     3D: the patches' depth in planes (their XY size is patchSize)
 * @param poolZ          3D: whether pooling acts in Z too; null: as the images' voxel size suggests
 *                       ({@link io.github.imagify.data.VoxelSize#suggestPoolZ()})
 * @param blurSigmaZ     3D gaussian_blur: the blur's sigma across planes, in planes (a number or a range; empty: none)
 * @param consistencyWeight neighbor2neighbor's weight of its consistency term (the paper's gamma), reached in the last
 *                       epoch ({@link Neighbor2NeighborStep})
 */
public record TrainingConfig(Path images, Path degraded, DegradationSpec degradation, int patchSize, int batchSize,
		int epochs, int stepsPerEpoch, double learningRate, int depth, int baseFilters, double dropout, boolean residual,
		double validationFraction, long seed, Path modelOut, String modelName, boolean resume, boolean asGrey, String startFrom,
		boolean blurKnown, int refineConvs, boolean asOpponent, boolean luminanceGuide, int averageEpochs, TrainingMethod method,
		BlindSpotMasking masking, Path clean, boolean jointChannels, boolean topSkip, boolean blurPool, int dims, int patchDepth, Boolean poolZ, String blurSigmaZ,
		double consistencyWeight) {

	public static final Normalization NORMALIZATION = Normalization.DEFAULT;

	/** The defaults of the Train keys that have one other than off, zero or empty. */
	public static final int DEFAULT_PATCH_SIZE = 128, DEFAULT_BATCH_SIZE = 8, DEFAULT_EPOCHS = 20, DEFAULT_STEPS_PER_EPOCH = 50,
			DEFAULT_DEPTH = 3, DEFAULT_BASE_FILTERS = 32;
	public static final double DEFAULT_LEARNING_RATE = 1e-3, DEFAULT_DROPOUT = 0.1;
	/** The Neighbor2Neighbor paper's gamma for its Gaussian and Poisson experiments. */
	public static final double DEFAULT_CONSISTENCY_WEIGHT = 2;
	/** A 3D patch's depth: CARE's 3D examples train on 16 planes. */
	public static final int DEFAULT_PATCH_DEPTH = 16;
	public static final long DEFAULT_SEED = 42;
	/** The degradation keys' defaults; self-supervised methods refuse other values, as no degradation applies to them. */
	public static final String DEFAULT_DEGRADATION_TYPE = DegradationSpec.GAUSSIAN_NOISE, DEFAULT_BLUR_SIGMA = "1.5";
	public static final double DEFAULT_POISSON_PEAK = 30;
	public static final int DEFAULT_FACTOR = 2;
	static final DegradationSpec DEFAULT_DEGRADATION = DegradationSpec.withDefaultNoise(DEFAULT_DEGRADATION_TYPE, DEFAULT_BLUR_SIGMA, "",
			DEFAULT_POISSON_PEAK, DEFAULT_FACTOR);
	/** The share of the images' area held out for validation; not a key. */
	static final double VALIDATION_FRACTION = 0.1;

	/**
	 * Checks every value, and every combination of values, and says which key is wrong and what is allowed. Use
	 * {@link #builder()}: this constructor's positional arguments are the builder's business.
	 */
	public TrainingConfig {
		if (method == null) method = TrainingMethod.SUPERVISED;
		if (masking == null) masking = BlindSpotMasking.DEFAULT;
		if (images == null)
			throw new IllegalArgumentException("'images' is not set; give a folder of " + (method.selfSupervised() ? "noisy" : "clean") + " training images"
					+ (method == TrainingMethod.NOISE2VOID || method == TrainingMethod.NEIGHBOR2NEIGHBOR ? ", or in Fiji open the noisy image to train on" : ""));
		if (modelOut == null) throw new IllegalArgumentException("'model_out' is not set; give the model file to write, e.g. model_out=/path/my-model.zip");
		if (method.selfSupervised() && degradation != null)
			throw new IllegalArgumentException("method='" + method.key() + "' learns the noise of its images, no degradation applies; leave degradation unset");
		if (method == TrainingMethod.NOISE2NOISE && degraded == null)
			throw new IllegalArgumentException("method='noise2noise' needs 'degraded': a folder of second noisy acquisitions of the scenes in 'images', under the same names");
		if (!method.selfSupervised() && degradation == null) throw new IllegalArgumentException("degradation is not set; give one of " + DegradationSpec.TYPES);
		// checked now, not when the first epoch is done and the model is written
		if (java.nio.file.Files.isDirectory(modelOut))
			throw new IllegalArgumentException("model_out " + modelOut + " is a folder; give a file name in it, e.g. " + modelOut.resolve("model.zip"));
		Path outFolder = modelOut.toAbsolutePath().getParent();
		if (outFolder == null || !java.nio.file.Files.isDirectory(outFolder))
			throw new IllegalArgumentException("model_out's folder " + outFolder + " does not exist; create it first or choose another model_out");
		if (patchSize < 16 || patchSize > 1024) throw new IllegalArgumentException("patch_size must be 16..1024, got " + patchSize);
		if (batchSize < 1 || batchSize > 1024) throw new IllegalArgumentException("batch_size must be 1..1024, got " + batchSize);
		if (epochs < 1 || epochs > 100000) throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
		if (stepsPerEpoch < 1 || stepsPerEpoch > 1000000) throw new IllegalArgumentException("steps_per_epoch must be at least 1, got " + stepsPerEpoch);
		if (!(learningRate > 0 && learningRate < 1)) throw new IllegalArgumentException("learning_rate must be in (0, 1), got " + learningRate);
		if (!(validationFraction > 0 && validationFraction < 0.9)) throw new IllegalArgumentException("validation fraction must be in (0, 0.9), got " + validationFraction);
		if (patchSize % (1 << depth) != 0)
			throw new IllegalArgumentException("patch_size " + patchSize + " must be a multiple of 2^depth = " + (1 << depth) + "; try " + ((patchSize >> depth) + 1 << depth));
		if (refineConvs < 0 || refineConvs > UNetSpec.MAX_REFINE_CONVS)
			throw new IllegalArgumentException("refine_convs must be 0.." + UNetSpec.MAX_REFINE_CONVS + ", got " + refineConvs);
		if (degraded == null && !method.selfSupervised()) degradation.validate();
		// measured: at its first epoch, such a network still returned the noisy input (20.3 dB against 26.7 with the skip)
		if (method == TrainingMethod.NOISE2VOID && !topSkip && residual)
			throw new IllegalArgumentException("top_skip=false with method='noise2void' needs direct=true: without the top skip connection a residual"
					+ " network cannot take back the blind spots' replacement values (N2V2 predicts the image directly)");
		if (method == TrainingMethod.NEIGHBOR2NEIGHBOR && patchSize % (2 << depth) != 0)
			throw new IllegalArgumentException("patch_size " + patchSize + " must be a multiple of 2^(depth+1) = " + (2 << depth)
					+ " for neighbor2neighbor, which trains on half-size sub-images; try " + ((patchSize >> depth + 1) + 1 << depth + 1));
		if (dims != 2 && dims != 3) throw new IllegalArgumentException("dims must be '2d' or '3d', got " + dims);
		if (dims == 3) check3d(patchDepth, blurPool, blurKnown, asOpponent, luminanceGuide);
		if (method == TrainingMethod.NOISE2VOID) {
			if (dims == 3) checkMaskingFits3d(masking, patchSize, patchDepth);
			else checkMaskingFits(masking, patchSize);
		}
		if (blurSigmaZ == null) blurSigmaZ = "";
		if (!(consistencyWeight >= 0 && consistencyWeight <= 100))
			throw new IllegalArgumentException("consistency_weight must be 0..100 (the paper's 2; 0 drops the consistency term), got " + consistencyWeight);
		if (jointChannels && asGrey) throw new IllegalArgumentException("as_grey and joint_channels both set; choose one: joint_channels=true trains one RGB model");
		if (blurKnown && degraded != null)
			throw new IllegalArgumentException("blur_known=true needs a synthetic gaussian_blur degradation, whose sigma the model is told; pairs do not say their blur");
		if (blurKnown) new KnownBlur(degradation); // says when the degradation is not a blur
		if (asOpponent && asGrey) throw new IllegalArgumentException("as_grey and as_opponent both set; choose one: as_opponent=true trains a grey model on the opponent colour planes of RGB images");
		if (asOpponent && degraded != null)
			throw new IllegalArgumentException("as_opponent=true needs a synthetic degradation; a model trained on pairs restores RGB channel by channel, so train it on RGB or as_grey=true");
		if (asOpponent) TrainingImages.checkOpponentDegradation(degradation.type());
		if (luminanceGuide && !asOpponent)
			throw new IllegalArgumentException("luminance_guide=true trains on the colour differences of RGB images; set as_opponent=true as well");
		if (luminanceGuide && blurKnown) throw new IllegalArgumentException("luminance_guide and blur_known both set; a model is told one of them");
		if (luminanceGuide && (startFrom == null || startFrom.isBlank()))
			throw new IllegalArgumentException("luminance_guide=true needs start_from: the grey model that restores the luminance, whose weights the colour-difference model starts from");
		if (startFrom != null && startFrom.isBlank()) startFrom = null;
		if (averageEpochs < 0 || averageEpochs > epochs)
			throw new IllegalArgumentException("average_epochs must be 0 (off) up to epochs (" + epochs + "), got " + averageEpochs);
		if (modelName == null || modelName.isBlank()) {
			String f = modelOut.getFileName().toString();
			modelName = f.contains(".") ? f.substring(0, f.lastIndexOf('.')) : f;
		}
	}

	/** Whether the network restores Z-stacks as volumes. */
	public boolean is3d() {
		return dims == 3;
	}

	/** What 3D training does not offer (yet), each refused with the key to change. */
	private static void check3d(int patchDepth, boolean blurPool, boolean blurKnown, boolean asOpponent,
			boolean luminanceGuide) {
		if (patchDepth < 1 || patchDepth > 256) throw new IllegalArgumentException("patch_planes must be 1..256 planes, got " + patchDepth);
		List<String> keys = new ArrayList<>();
		if (blurPool) keys.add("blur_pool");
		if (blurKnown) keys.add("blur_known");
		if (asOpponent) keys.add("as_opponent");
		if (luminanceGuide) keys.add("luminance_guide");
		if (!keys.isEmpty())
			throw new IllegalArgumentException(String.join(", ", keys) + (keys.size() == 1 ? " is" : " are") + " not available with dims='3d'; leave "
					+ (keys.size() == 1 ? "it" : "them") + " out, or train a 2D model");
	}

	/** Every patch must hold a masked pixel, and a masked pixel's window and line must fit in the patch. */
	private static void checkMaskingFits(BlindSpotMasking masking, int patchSize) {
		if (masking.gridSpacing() > patchSize)
			throw new IllegalArgumentException(BlindSpotMasking.MASKED_FRACTION + " " + masking.maskedFraction() + " masks one pixel in " + masking.gridSpacing() + "x"
					+ masking.gridSpacing() + ", none in many " + patchSize + "x" + patchSize + " patches; give at least " + 1.0 / ((double) patchSize * patchSize)
					+ " or a larger patch_size");
		if (masking.neighbourhood() > patchSize || masking.structured() && masking.structSpan() > patchSize)
			throw new IllegalArgumentException(BlindSpotMasking.MASK_NEIGHBOURHOOD + " and " + BlindSpotMasking.STRUCT_MASK_SPAN + " must fit in a patch of "
					+ patchSize + " px, got " + masking.neighbourhood() + " and " + masking.structSpan());
	}

	/** For Z-stacks: masked voxels lie on a cubic grid ({@link BlindSpotMasker3D}), so the patch's shortest side must hold a cell and a neighbourhood. */
	private static void checkMaskingFits3d(BlindSpotMasking masking, int patchSize, int patchDepth) {
		int shortest = Math.min(patchSize, patchDepth), spacing = BlindSpotMasker3D.gridSpacing(masking);
		if (spacing > shortest)
			throw new IllegalArgumentException(BlindSpotMasking.MASKED_FRACTION + " " + masking.maskedFraction() + " masks one voxel in " + spacing + "x" + spacing
					+ "x" + spacing + ", none in many " + patchDepth + "x" + patchSize + "x" + patchSize + " patches; give at least "
					+ 1.0 / ((double) shortest * shortest * shortest) + " or larger patch_planes and patch_size");
		if (masking.neighbourhood() > shortest)
			throw new IllegalArgumentException(BlindSpotMasking.MASK_NEIGHBOURHOOD + " " + masking.neighbourhood() + " must fit in a patch of " + patchDepth + "x"
					+ patchSize + "x" + patchSize + " voxels, in Z too; give a smaller one or larger patch_planes");
		if (masking.structured() && masking.structSpan() > patchSize)
			throw new IllegalArgumentException(BlindSpotMasking.STRUCT_MASK_SPAN + " " + masking.structSpan() + " must fit in a patch of " + patchSize + " px; give a smaller one");
	}

	/** The synthetic degradation as training patches are made with it (one that says its blur sigma when the model is told it); null for self-supervised methods. */
	public Degradation trainingDegradation() {
		if (degradation == null) return null;
		return blurKnown ? new KnownBlur(degradation) : degradation.toDegradation();
	}

	/**
	 * The settings that must match for a checkpoint to be resumed (epochs may grow; average_epochs may change, the
	 * checkpoint's running sum restarting when its window moved).
	 */
	Map<String, Object> resumeKey() {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("images", images.toAbsolutePath().normalize().toString());
		m.put("degraded", degraded == null ? "" : degraded.toAbsolutePath().normalize().toString());
		m.put("degradation", degradation == null ? "" : degradation.toMap().toString());
		m.put("patch_size", patchSize);
		m.put("batch_size", batchSize);
		m.put("steps_per_epoch", stepsPerEpoch);
		m.put("learning_rate", learningRate);
		m.put("depth", depth);
		m.put("base_filters", baseFilters);
		m.put("dropout", dropout);
		m.put("residual", residual);
		m.put("seed", seed);
		m.put("as_grey", asGrey);
		if (startFrom != null) m.put("start_from", startFrom); // only when set, so earlier checkpoints still resume
		if (blurKnown) m.put("blur_known", true);
		if (refineConvs > 0) m.put("refine_convs", refineConvs);
		if (asOpponent) m.put("as_opponent", true);
		if (luminanceGuide) m.put("luminance_guide", true);
		// only when not the default, so earlier checkpoints still resume; 'clean' changes what is reported, not what is trained
		if (method != TrainingMethod.SUPERVISED) m.put("method", method.key());
		if (method == TrainingMethod.NOISE2VOID) m.put("masking", masking.toMap().toString());
		if (jointChannels) m.put("joint_channels", true);
		if (!topSkip) m.put("top_skip", false);
		if (blurPool) m.put("blur_pool", true);
		if (method == TrainingMethod.NEIGHBOR2NEIGHBOR) m.put("consistency_weight", consistencyWeight);
		if (dims == 3) {
			m.put("dims", 3);
			m.put("patch_planes", patchDepth);
			m.put("pool_z", poolZ == null ? "auto" : poolZ.toString());
			m.put("blur_sigma_z", blurSigmaZ);
		}
		return m;
	}

	/**
	 * Learning rate for an epoch (0-based): constant, then an exponential decay to a tenth over the last
	 * 40 % of the epochs (a constant rate plateaued in the measured runs; the decay phase added ~0.9 dB).
	 */
	public double learningRateAt(int epoch) {
		int decayStart = (int) Math.floor(epochs * 0.6);
		if (epochs < 3 || epoch < decayStart) return learningRate;
		double t = (epoch - decayStart + 1) / (double) (epochs - decayStart);
		return learningRate * Math.pow(0.1, t);
	}

	/** The first epoch (1-based) whose weights enter the average; past the last epoch when averaging is off. */
	int firstAveragedEpoch() {
		return averageEpochs == 0 ? epochs + 1 : epochs - averageEpochs + 1;
	}

	/** A builder at the keys' defaults: no degradation, which must be set, nor images or model file. */
	public static Builder builder() {
		return new Builder();
	}

	/** Sets a training run's values by name; {@link #build()} checks them. One setter per record component. */
	public static final class Builder {
		private Path images, degraded, modelOut, clean;
		private DegradationSpec degradation;
		/**
		 * Whether noise_sigma was given, which its default (empty) tells apart even where the value is the default one;
		 * null when the degradation was set as a whole.
		 */
		private Boolean noiseSigmaGiven;
		private TrainingMethod method = TrainingMethod.SUPERVISED;
		private BlindSpotMasking masking = BlindSpotMasking.DEFAULT;
		private boolean jointChannels, topSkip = true, blurPool;
		private double consistencyWeight = DEFAULT_CONSISTENCY_WEIGHT;
		private int dims = 2, patchDepth = DEFAULT_PATCH_DEPTH;
		private Boolean poolZ;
		private String blurSigmaZ = "";
		private int patchSize = DEFAULT_PATCH_SIZE, batchSize = DEFAULT_BATCH_SIZE, epochs = DEFAULT_EPOCHS, stepsPerEpoch = DEFAULT_STEPS_PER_EPOCH;
		private double learningRate = DEFAULT_LEARNING_RATE;
		private int depth = DEFAULT_DEPTH, baseFilters = DEFAULT_BASE_FILTERS;
		private double dropout = DEFAULT_DROPOUT;
		private boolean residual = true;
		private double validationFraction = VALIDATION_FRACTION;
		private long seed = DEFAULT_SEED;
		private String modelName, startFrom;
		private boolean resume = true, asGrey, blurKnown, asOpponent, luminanceGuide;
		private int refineConvs, averageEpochs;

		private Builder() {}

		public Builder images(Path v) { images = v; return this; }
		public Builder degraded(Path v) { degraded = v; return this; }
		public Builder degradation(DegradationSpec v) { degradation = v; noiseSigmaGiven = null; return this; }
		/** The degradation from the Train keys as given, which self-supervised methods refuse when any differs from its default. */
		public Builder degradationKeys(String type, String blurSigma, String noiseSigma, double poissonPeak, int factor, String noiseDraw) {
			degradation = DegradationSpec.withDefaultNoise(type, blurSigma, noiseSigma, poissonPeak, factor).withNoiseDraw(noiseDraw);
			noiseSigmaGiven = noiseSigma != null && !noiseSigma.isBlank();
			return this;
		}
		public Builder patchSize(int v) { patchSize = v; return this; }
		public Builder batchSize(int v) { batchSize = v; return this; }
		public Builder epochs(int v) { epochs = v; return this; }
		public Builder stepsPerEpoch(int v) { stepsPerEpoch = v; return this; }
		public Builder learningRate(double v) { learningRate = v; return this; }
		public Builder depth(int v) { depth = v; return this; }
		public Builder baseFilters(int v) { baseFilters = v; return this; }
		public Builder dropout(double v) { dropout = v; return this; }
		public Builder residual(boolean v) { residual = v; return this; }
		public Builder validationFraction(double v) { validationFraction = v; return this; }
		public Builder seed(long v) { seed = v; return this; }
		public Builder modelOut(Path v) { modelOut = v; return this; }
		public Builder modelName(String v) { modelName = v; return this; }
		public Builder resume(boolean v) { resume = v; return this; }
		public Builder asGrey(boolean v) { asGrey = v; return this; }
		public Builder startFrom(String v) { startFrom = v; return this; }
		public Builder blurKnown(boolean v) { blurKnown = v; return this; }
		public Builder refineConvs(int v) { refineConvs = v; return this; }
		public Builder asOpponent(boolean v) { asOpponent = v; return this; }
		public Builder luminanceGuide(boolean v) { luminanceGuide = v; return this; }
		public Builder averageEpochs(int v) { averageEpochs = v; return this; }
		public Builder method(TrainingMethod v) { method = v; return this; }
		public Builder masking(BlindSpotMasking v) { masking = v; return this; }
		public Builder clean(Path v) { clean = v; return this; }
		public Builder jointChannels(boolean v) { jointChannels = v; return this; }
		public Builder topSkip(boolean v) { topSkip = v; return this; }
		public Builder blurPool(boolean v) { blurPool = v; return this; }
		public Builder consistencyWeight(double v) { consistencyWeight = v; return this; }
		public Builder dims(int v) { dims = v; return this; }
		/** The key's value: '2d' or '3d' (empty: 2d). */
		public Builder dims(String v) {
			String d = v == null ? "" : v.trim().toLowerCase(java.util.Locale.ROOT);
			if (!d.isEmpty() && !d.equals("2d") && !d.equals("3d")) throw new IllegalArgumentException("dims must be '2d' or '3d', got '" + v + "'");
			dims = d.equals("3d") ? 3 : 2;
			return this;
		}
		public Builder patchDepth(int v) { patchDepth = v; return this; }
		/** null: as the images' voxel size suggests. */
		public Builder poolZ(Boolean v) { poolZ = v; return this; }
		/** The key's value: 'auto' (or empty), 'true' or 'false'. */
		public Builder poolZ(String v) {
			String p = v == null ? "" : v.trim().toLowerCase(java.util.Locale.ROOT);
			if (!p.isEmpty() && !p.equals("auto") && !p.equals("true") && !p.equals("false"))
				throw new IllegalArgumentException("pool_z must be 'auto', 'true' or 'false', got '" + v + "'");
			poolZ = p.isEmpty() || p.equals("auto") ? null : Boolean.valueOf(p);
			return this;
		}
		public Builder blurSigmaZ(String v) { blurSigmaZ = v; return this; }

		/** The checked settings; an IllegalArgumentException names the key that is wrong. */
		public TrainingConfig build() {
			List<String> zKeys = new ArrayList<>();
			if (dims != 3) {
				if (patchDepth != DEFAULT_PATCH_DEPTH) zKeys.add("patch_planes");
				if (poolZ != null) zKeys.add("pool_z");
				if (blurSigmaZ != null && !blurSigmaZ.isBlank()) zKeys.add("blur_sigma_z");
			}
			if (!zKeys.isEmpty())
				throw new IllegalArgumentException(String.join(", ", zKeys) + (zKeys.size() == 1 ? " applies" : " apply")
						+ " to Z-stacks only; set dims='3d' to train a 3D model, or leave " + (zKeys.size() == 1 ? "it" : "them") + " out");
			List<String> inapplicable = inapplicableKeys();
			if (!inapplicable.isEmpty())
				throw new IllegalArgumentException(String.join(", ", inapplicable) + (inapplicable.size() == 1 ? " does" : " do") + " not apply to method='"
						+ method.key() + "' " + switch (method) {
							case SUPERVISED -> "(only to the methods that learn from noisy images); leave "
									+ (inapplicable.size() == 1 ? "it" : "them") + " out or set method";
							case NOISE2VOID, NEIGHBOR2NEIGHBOR -> "(it learns from the noisy images in 'images' alone); leave " + (inapplicable.size() == 1 ? "it" : "them") + " out";
							case NOISE2NOISE -> "(it learns from two noisy acquisitions of each scene); leave " + (inapplicable.size() == 1 ? "it" : "them") + " out";
						});
			return new TrainingConfig(images, degraded, method.selfSupervised() ? null : degradation, patchSize, batchSize, epochs, stepsPerEpoch,
					learningRate, depth, baseFilters, dropout, residual, validationFraction, seed, modelOut, modelName, resume, asGrey, startFrom,
					blurKnown, refineConvs, asOpponent, luminanceGuide, averageEpochs, method, masking, clean, jointChannels, topSkip, blurPool, dims, patchDepth, poolZ,
					blurSigmaZ, consistencyWeight);
		}

		/**
		 * The degradation keys set to other than their defaults. From the keys, an empty noise_sigma takes the type's
		 * default, which differs from gaussian_noise's without being set; a given one is set even at that default.
		 */
		private List<String> degradationKeysSet() {
			List<String> keys = degradation.keysOtherThan(DEFAULT_DEGRADATION);
			if (noiseSigmaGiven == null) return keys;
			keys.remove("noise_sigma");
			if (noiseSigmaGiven) keys.add((int) keys.stream().filter(k -> k.equals("degradation") || k.equals("blur_sigma")).count(), "noise_sigma");
			return keys;
		}

		/** The keys set (to other than their defaults) that make no sense with the method, in the order of the keys. */
		private List<String> inapplicableKeys() {
			List<String> keys = new ArrayList<>();
			if ((method == TrainingMethod.NOISE2VOID || method == TrainingMethod.NEIGHBOR2NEIGHBOR) && degraded != null) keys.add("degraded");
			if (method.selfSupervised()) {
				if (degradation != null) keys.addAll(degradationKeysSet());
				if (blurKnown) keys.add("blur_known");
				if (asOpponent) keys.add("as_opponent");
				if (luminanceGuide) keys.add("luminance_guide");
			}
			if (!method.selfSupervised() && clean != null) keys.add("clean");
			if (method != TrainingMethod.NOISE2VOID) keys.addAll(masking.keysSet());
			if (jointChannels && method != TrainingMethod.NOISE2VOID && method != TrainingMethod.NEIGHBOR2NEIGHBOR) keys.add("joint_channels");
			if (consistencyWeight != DEFAULT_CONSISTENCY_WEIGHT && method != TrainingMethod.NEIGHBOR2NEIGHBOR) keys.add("consistency_weight");
			return keys;
		}
	}
}
