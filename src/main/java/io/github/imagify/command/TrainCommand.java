package io.github.imagify.command;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.nio.file.Path;

import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import io.github.imagify.blindspot.BlindSpotMasking;
import io.github.imagify.imagej.ActiveImageTraining;
import io.github.imagify.train.EpochResult;
import io.github.imagify.train.Trainer;
import io.github.imagify.train.TrainingConfig;
import io.github.imagify.train.TrainingListener;
import io.github.imagify.train.TrainingMethod;

/**
 * Trains a U-Net from a folder of clean images plus a synthetic degradation, or from degraded/clean pairs, or
 * (key {@code method}) from noisy images alone: Noise2Void on one folder, Noise2Noise on two acquisitions of each scene;
 * and writes the best model by validation loss to {@code model_out}. Resumes from its checkpoint when one
 * with the same settings exists beside {@code model_out}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Imagify>Imagify Train", label = "Imagify Train")
public class TrainCommand extends ContextCommand {

	@Parameter
	private LogService log;

	@Parameter
	private StatusService status;

	@Parameter(label = "Training method", persist = false, required = false, choices = { "supervised", "noise2void", "neighbor2neighbor", "noise2noise" },
			description = "supervised: clean images and a degradation (or degraded pairs); noise2void, neighbor2neighbor: noisy images alone; noise2noise: two noisy acquisitions of each scene ('images' and 'degraded', same names)")
	private String method = TrainingMethod.SUPERVISED.key();

	@Parameter(label = "Image (noise2void, neighbor2neighbor: trained on when no folder is given)", persist = false, required = false,
			description = "The open noisy image (every plane of its stack) that noise2void or neighbor2neighbor learn from when 'images' is empty")
	private ImagePlus image;

	@Parameter(label = "Training images (folder: clean; noisy for noise2void, neighbor2neighbor, noise2noise)", persist = false, required = false,
			description = "For noise2void and neighbor2neighbor, empty trains on the open image (every plane of its stack)")
	private String images = "";

	@Parameter(label = "Degraded images (folder, pairs mode; second acquisitions for noise2noise)", persist = false, required = false,
			description = "Optional: degraded versions of the clean images under the same names; then no synthetic degradation is applied. For noise2noise: the second noisy acquisition of each image in 'images', under the same name")
	private String degraded = "";

	@Parameter(label = "Clean images to validate against (folder, methods that learn from noisy images)", persist = false, required = false,
			description = "Optional, self-supervised methods only: the clean versions of the training images under the same names; each epoch then reports the PSNR of the restored validation patches against them")
	private String clean = "";

	@Parameter(label = "Degradation", persist = false, required = false,
			choices = { "gaussian_noise", "gaussian_blur", "poisson_noise", "downscale" })
	private String degradation = TrainingConfig.DEFAULT_DEGRADATION_TYPE;

	@Parameter(label = "Noise sigma (0-255 scale; 25 or 0-55)", persist = false, required = false,
			description = "Empty: 25 for gaussian_noise, no added noise for the other degradations")
	private String noise_sigma = "";

	@Parameter(label = "Noise sigma draw (for a range)", persist = false, required = false, choices = { "uniform", "favour_low" },
			description = "How a noise sigma range is sampled: uniform, or favour_low (half the patches in the lowest quarter of the range)")
	private String noise_sigma_draw = "uniform";

	@Parameter(label = "Blur sigma in px (1.5 or 0.5-3)", persist = false, required = false)
	private String blur_sigma = TrainingConfig.DEFAULT_BLUR_SIGMA;

	@Parameter(label = "Tell the model the blur sigma (non-blind)", persist = false, required = false,
			description = "gaussian_blur only: the model reads each image's blur sigma beside it, and Denoise then needs blur_sigma")
	private boolean blur_known = false;

	@Parameter(label = "Refinement convolutions at full resolution", persist = false, required = false,
			description = "extra 3x3 convolutions after the last decoder level, before the output (0..16); with start_from, added ones start as identities")
	private int refine_convs = 0;

	@Parameter(label = "Poisson peak (photons at the top of the range)", persist = false, required = false)
	private double poisson_peak = TrainingConfig.DEFAULT_POISSON_PEAK;

	@Parameter(label = "Downscale factor", persist = false, required = false)
	private int factor = TrainingConfig.DEFAULT_FACTOR;

	@Parameter(label = "noise2void: share of pixels masked", persist = false, required = false,
			description = "The share of each patch's pixels hidden from the network and scored (blind spots); N2V's default 0.002 is 0.2 %")
	private double masked_fraction = BlindSpotMasking.DEFAULT_MASKED_FRACTION;

	@Parameter(label = "noise2void: replacement window (odd px)", persist = false, required = false,
			description = "The side of the window around a masked pixel that its replacement comes from")
	private int mask_neighbourhood = BlindSpotMasking.DEFAULT_NEIGHBOURHOOD;

	@Parameter(label = "noise2void: replacement", persist = false, required = false, choices = { "uniform", "median" },
			description = "uniform: a random other pixel of the window (N2V); median: the window's median without the pixel (N2V2, against checkerboard artefacts)")
	private String mask_replacement = BlindSpotMasking.UNIFORM;

	@Parameter(label = "noise2void: struct mask (structN2V)", persist = false, required = false, choices = { "none", "horizontal", "vertical" },
			description = "For noise correlated along rows (horizontal) or columns (vertical), e.g. sCMOS stripes: the line through each masked pixel is hidden too")
	private String struct_mask = BlindSpotMasking.NONE;

	@Parameter(label = "noise2void: struct mask length (odd px)", persist = false, required = false)
	private int struct_mask_span = BlindSpotMasking.DEFAULT_STRUCT_SPAN;

	@Parameter(label = "neighbor2neighbor: consistency weight", persist = false, required = false,
			description = "The weight of Neighbor2Neighbor's consistency term (the paper's gamma), rising from 0 to this value over the epochs; 0 drops it")
	private double consistency_weight = TrainingConfig.DEFAULT_CONSISTENCY_WEIGHT;

	@Parameter(label = "noise2void, neighbor2neighbor: one RGB model (not channel by channel)", persist = false, required = false,
			description = "RGB images train a grey model on each colour channel by default; true trains one RGB model on the three together")
	private boolean joint_channels = false;

	@Parameter(label = "U-Net top skip connection", persist = false, required = false,
			description = "false drops the full-resolution skip connection (N2V2), against noise2void's checkerboard artefacts")
	private boolean top_skip = true;

	@Parameter(label = "U-Net blur pooling (N2V2)", persist = false, required = false,
			description = "true replaces each max-pooling by N2V2's max blur pool (a fixed blur before subsampling), against noise2void's checkerboard artefacts")
	private boolean blur_pool = false;

	@Parameter(label = "Dimensions", persist = false, required = false, choices = { "2d", "3d" },
			description = "2d: restore plane by plane; 3d: train a 3D U-Net on Z-stacks (each channel and time point a volume)")
	private String dims = "2d";

	@Parameter(label = "3d: patch depth (planes)", persist = false, required = false)
	private int patch_planes = TrainingConfig.DEFAULT_PATCH_DEPTH;

	@Parameter(label = "3d: pool in Z", persist = false, required = false, choices = { "auto", "true", "false" },
			description = "auto: pool in Z unless the voxel depth is 2 or more pixel widths (the images' calibration)")
	private String pool_z = "auto";

	@Parameter(label = "3d: blur sigma across planes (gaussian_blur)", persist = false, required = false,
			description = "The synthetic blur's sigma in Z, in planes (a number or a range); empty: no blur across planes")
	private String blur_sigma_z = "";

	@Parameter(label = "Patch size", persist = false, required = false)
	private int patch_size = TrainingConfig.DEFAULT_PATCH_SIZE;

	@Parameter(label = "Batch size", persist = false, required = false)
	private int batch_size = TrainingConfig.DEFAULT_BATCH_SIZE;

	@Parameter(label = "Epochs", persist = false, required = false)
	private int epochs = TrainingConfig.DEFAULT_EPOCHS;

	@Parameter(label = "Steps per epoch", persist = false, required = false)
	private int steps_per_epoch = TrainingConfig.DEFAULT_STEPS_PER_EPOCH;

	@Parameter(label = "Learning rate", persist = false, required = false)
	private double learning_rate = TrainingConfig.DEFAULT_LEARNING_RATE;

	@Parameter(label = "U-Net depth (poolings)", persist = false, required = false)
	private int depth = TrainingConfig.DEFAULT_DEPTH;

	@Parameter(label = "Filters in the first level", persist = false, required = false,
			description = "doubled at each level down; with start_from it may exceed the model's: the added filters start unconnected to the output")
	private int base_filters = TrainingConfig.DEFAULT_BASE_FILTERS;

	@Parameter(label = "Dropout", persist = false, required = false)
	private double dropout = TrainingConfig.DEFAULT_DROPOUT;

	@Parameter(label = "Predict the clean image directly (not the residual)", persist = false, required = false)
	private boolean direct = false;

	@Parameter(label = "Convert RGB images to grey (train a grey model)", persist = false, required = false)
	private boolean as_grey = false;

	@Parameter(label = "Train a grey model on RGB images' opponent colour planes", persist = false, required = false,
			description = "The luminance and the two colour differences of each RGB image, as a grey model restores RGB (synthetic gaussian_noise, gaussian_blur or downscale only)")
	private boolean as_opponent = false;

	@Parameter(label = "Colour differences told the luminance (with as_opponent)", persist = false, required = false,
			description = "Train a model for the two colour differences of RGB images that is given the noisy luminance beside them; the luminance is restored by the start_from model")
	private boolean luminance_guide = false;

	@Parameter(label = "Start from model (fine-tune)", persist = false, required = false,
			description = "Optional: a model file or bundled model name (denoise-gray, denoise-rgb, deblur, deblur-blind) whose weights training starts from; depth, base filters and direct must match it")
	private String start_from = "";

	@Parameter(label = "Average the weights of the last epochs (0: off)", persist = false, required = false,
			description = "After the last epoch, the mean of the weights after each of the last N epochs replaces the best epoch's in the model file if it validates better (stochastic weight averaging); best with a low learning rate")
	private int average_epochs = 0;

	@Parameter(label = "Random seed", persist = false, required = false)
	private long seed = TrainingConfig.DEFAULT_SEED;

	@Parameter(label = "Start over (ignore an existing checkpoint)", persist = false, required = false)
	private boolean restart = false;

	@Parameter(label = "Model file to write", persist = false, required = false)
	private String model_out = "";

	@Parameter(label = "Model name (optional)", persist = false, required = false,
			description = "The name recorded in the model file, which Denoise logs; empty: model_out's file name without extension")
	private String model_name = "";

	@Parameter(label = "Model file", type = ItemIO.OUTPUT)
	private File model_file;

	@Override
	public void run() {
		try {
			TrainingConfig config = TrainingConfig.builder().method(TrainingMethod.of(method)).images(trainingImages()).degraded(Keys.path(degraded))
					.clean(Keys.path(clean)).modelOut(Keys.path(model_out))
					.degradationKeys(degradation, blur_sigma, noise_sigma, poisson_peak, factor, noise_sigma_draw)
					.masking(new BlindSpotMasking(masked_fraction, mask_neighbourhood, mask_replacement, struct_mask, struct_mask_span))
					.jointChannels(joint_channels).topSkip(top_skip).blurPool(blur_pool).consistencyWeight(consistency_weight)
					.dims(dims).patchDepth(patch_planes).poolZ(pool_z).blurSigmaZ(blur_sigma_z)
					.patchSize(patch_size).batchSize(batch_size).epochs(epochs).stepsPerEpoch(steps_per_epoch).learningRate(learning_rate)
					.depth(depth).baseFilters(base_filters).dropout(dropout).residual(!direct).seed(seed).modelName(model_name).resume(!restart)
					.asGrey(as_grey).startFrom(start_from).blurKnown(blur_known).refineConvs(refine_convs).asOpponent(as_opponent)
					.luminanceGuide(luminance_guide).averageEpochs(average_epochs).build();
			if (ij.IJ.getInstance() != null) ij.IJ.resetEscape();
			ResultsTable table = ResultsTable.getResultsTable(); // per-epoch figures, readable by macros with getResult()
			table.reset();
			Trainer.Result result = new Trainer(config, new CommandListener(table, config.modelOut())).train();
			if (result.bestEpoch() > 0) model_file = config.modelOut().toFile();
			if (result.cancelled()) cancel("Imagify Train was cancelled after " + result.history().size() + " epoch(s); " + model_out + " holds the best complete epoch, and the same settings resume from its checkpoint");
			else log.info(String.format("Imagify Train: wrote %s (%s, validation %s%s)", model_out,
					result.holdsMean() ? "the mean of " + result.averaged().epochs() : "best epoch " + result.bestEpoch(),
					config.method() == TrainingMethod.NOISE2VOID ? String.format("loss %.5f on the masked pixels", result.validationLoss())
							: config.method().describeValidation(result.validationLoss()) + " on normalised data",
					Double.isNaN(result.referencePsnr()) ? "" : String.format(", PSNR %.2f dB against the clean images", result.referencePsnr())));
		} catch (Exception | OutOfMemoryError e) {
			Failure.report(this, log, "Imagify Train", e);
		} finally {
			status.clearStatus();
		}
	}

	/**
	 * The folder of training images; for a method that learns from one noisy image set, with no folder given and an image
	 * open, that image (copied beside model_out by {@link ActiveImageTraining}).
	 */
	private Path trainingImages() throws java.io.IOException {
		Path folder = Keys.path(images), modelOut = Keys.path(model_out);
		TrainingMethod m = TrainingMethod.of(method);
		if (folder != null || modelOut == null || !m.selfSupervised() || m == TrainingMethod.NOISE2NOISE) return folder;
		if (image == null) return null; // the core says 'images' is not set
		log.info("Imagify Train: training on the open image '" + image.getTitle() + "' (no 'images' folder given)");
		return ActiveImageTraining.trainingFolder(image, modelOut);
	}

	private final class CommandListener implements TrainingListener {
		private final Progress progress = new Progress("Imagify Train", status, log::info);
		private final ResultsTable table;
		private final LossPlot plot;

		CommandListener(ResultsTable table, Path modelOut) {
			this.table = table;
			boolean gui = !GraphicsEnvironment.isHeadless() && ij.IJ.getInstance() != null;
			this.plot = gui ? new LossPlot("Imagify Train: loss of " + modelOut.getFileName()) : null;
		}

		@Override
		public void log(String message) {
			log.info("Imagify Train: " + message);
		}

		@Override
		public void iteration(int epoch, int step, int stepsPerEpoch, double loss) {
			progress.update(((epoch - 1) * stepsPerEpoch + step) / (double) (epochs * stepsPerEpoch),
					String.format("epoch %d/%d, step %d/%d, loss %.5f", epoch, epochs, step, stepsPerEpoch, loss));
		}

		@Override
		public void epochDone(EpochResult r) {
			table.incrementCounter();
			table.addValue("epoch", r.epoch());
			table.addValue("train_loss", r.trainLoss());
			table.addValue("validation_loss", r.validationLoss());
			table.addValue("validation_psnr", r.validationPsnr());
			if (!Double.isNaN(r.referencePsnr())) table.addValue("clean_psnr", r.referencePsnr());
			table.addValue("learning_rate", r.learningRate());
			table.addValue("best", r.best() ? 1 : 0);
			table.addValue("seconds", r.seconds());
			if (plot != null) {
				table.show("Results");
				plot.add(r);
			}
		}

		@Override
		public boolean isCancelled() {
			return Progress.cancelled();
		}
	}
}
