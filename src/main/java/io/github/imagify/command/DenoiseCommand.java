package io.github.imagify.command;

import java.io.IOException;

import org.scijava.ItemIO;
import org.scijava.ItemVisibility;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import io.github.imagify.imagej.restore.ModelChoice;
import io.github.imagify.imagej.restore.Restoration;
import io.github.imagify.restore.Restorer;
import io.github.imagify.restore.Shard;

/**
 * Restores the active image, or image files (a file or a folder) for batch and headless use.
 * Keys: {@code input}, {@code output}, {@code model}, {@code tile_size}, {@code threads}, {@code output_type}, {@code ensemble};
 * for cluster job arrays {@code shard} (i/n) and {@code stitch}.
 * With a 3D model, each channel and time point of a hyperstack is restored as one Z-stack volume.
 * In a macro the restored image becomes the active image, also in batch mode and headless ({@link MacroHandoff}).
 */
@Plugin(type = Command.class, menuPath = "Plugins>Imagify>Imagify Denoise", label = "Imagify Denoise", initializer = "describeModel")
public class DenoiseCommand extends ContextCommand {

	static final String FLOAT = "float", INPUT = "input";

	@Parameter
	private LogService log;

	@Parameter
	private StatusService status;

	@Parameter(label = "Image", required = false, persist = false, description = "The image to restore; ignored when 'input' is set")
	private ImagePlus image;

	@Parameter(label = "Input file or folder", required = false, persist = false, description = "Batch mode: an image file, or a folder whose images are all restored")
	private String input = "";

	@Parameter(label = "Output file or folder", required = false, persist = false, description = "Where batch results go; a folder gets the same file names")
	private String output = "";

	@Parameter(label = "Model", required = false, persist = false, description = "A model file, or a bundled model name (denoise-gray, denoise-rgb, deblur, deblur-blind); empty: denoise-gray for grey images, denoise-rgb for RGB",
			callback = "describeModel")
	private String model = "";

	/** The dialog's line under the model: 2D (plane by plane) or 3D (each Z-stack as one volume). */
	@Parameter(visibility = ItemVisibility.MESSAGE, required = false, persist = false)
	private String model_kind = ModelChoice.PLANE_BY_PLANE;

	@Parameter(label = "Blur sigma in px (models told the blur)", required = false, persist = false,
			description = "For a model trained with blur_known=true: the images' Gaussian blur sigma in pixels; blind models do not use it")
	private String blur_sigma = "";

	@Parameter(label = "Tile size", required = false, persist = false, min = "0",
			description = "Edge of the region restored per network call (16 to 8192; in X, Y and Z for a 3D model); 0 = the model's default: "
					+ Restorer.DEFAULT_TILE_SIZE + " for 2D models; for 3D models " + Restorer.DEFAULT_TILE_SIZE_3D + " to 256, larger for smaller networks")
	private int tile_size = Restorer.AUTOMATIC_TILE_SIZE;

	@Parameter(label = "Threads", required = false, persist = false, min = "0", description = "CPU threads for ONNX Runtime; 0 = all cores")
	private int threads = 0;

	@Parameter(label = "Self-ensemble", required = false, persist = false, choices = { "1", "2", "4", "8" },
			description = "Average the model's output over this many mirrored and rotated copies of the image: 1 = off; 8 is a little better and takes 8 times as long")
	private String ensemble = "1";

	@Parameter(label = "Output type", required = false, persist = false, choices = { FLOAT, INPUT },
			description = "float: 32-bit results (RGB stays RGB); input: the input's bit depth, rounded and clipped to its range")
	private String output_type = FLOAT;

	@Parameter(label = "Shard", required = false, persist = false,
			description = "Cluster job arrays: i/n restores only the i-th of n parts (files of a folder, or tile rows of one image) and skips outputs that exist")
	private String shard = "";

	@Parameter(label = "Stitch bands", required = false, persist = false,
			description = "Assemble the bands that the shards of one image wrote into the output")
	private boolean stitch = false;

	@Parameter(label = "Restored", type = ItemIO.OUTPUT)
	private ImagePlus restored;

	@Override
	public void run() {
		try {
			boolean keepBitDepth = keepBitDepth(output_type);
			Shard part = shard == null || shard.isBlank() ? null : Shard.parse(shard);
			Restoration.Request request = new Restoration.Request(image, Keys.path(input), Keys.path(output), model, tile_size, threads,
					Ensemble.parse(ensemble), blurSigma(blur_sigma), keepBitDepth, part, stitch);
			if (ij.IJ.getInstance() != null) ij.IJ.resetEscape();
			long start = System.nanoTime();
			Restoration.Result result = Restoration.run(request, line -> log.info("Imagify Denoise: " + line), new CommandRestoreListener("Imagify Denoise", status, log));
			if (request.input() != null && !request.stitch()) log.info("Imagify Denoise: wrote " + result.written().size() + " image(s)");
			restored = result.restored();
			if (restored != null) {
				log.info(String.format("Imagify Denoise: restored '%s' in %.1f s", image.getTitle(), (System.nanoTime() - start) / 1e9));
				MacroHandoff.makeCurrent(restored);
			}
			if (Progress.cancelled()) cancel("Imagify Denoise was cancelled; nothing was written for the image in progress");
		} catch (Exception | OutOfMemoryError e) {
			Failure.report(this, log, "Imagify Denoise", e);
		} finally {
			status.clearStatus();
		}
	}

	/** Says under the model whether it is 2D or 3D, when the dialog opens and whenever the model changes. */
	private void describeModel() {
		try {
			model_kind = ModelChoice.describe(model);
		} catch (IOException | RuntimeException e) {
			model_kind = Errors.message(e); // the run refuses it with the same line
		}
	}

	/** The output_type key: true for 'input' (the input's bit depth), false for 'float' or empty. */
	static boolean keepBitDepth(String outputType) {
		String type = outputType == null || outputType.isBlank() ? FLOAT : outputType.trim().toLowerCase(java.util.Locale.ROOT);
		if (!type.equals(FLOAT) && !type.equals(INPUT))
			throw new IllegalArgumentException("output_type must be 'float' or 'input', got '" + outputType + "'");
		return type.equals(INPUT);
	}

	/** The blur_sigma key: empty for none, else a number of pixels. */
	static Double blurSigma(String text) {
		if (text == null || text.isBlank()) return null;
		try {
			double v = Double.parseDouble(text.trim());
			if (v > 0 && Double.isFinite(v)) return v;
		} catch (NumberFormatException e) {
			// the message below
		}
		throw new IllegalArgumentException("blur_sigma must be the images' Gaussian blur sigma in pixels, a number > 0 (e.g. 1.5), got '" + text + "'");
	}
}
