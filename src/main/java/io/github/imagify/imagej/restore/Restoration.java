package io.github.imagify.imagej.restore;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import ij.ImagePlus;
import io.github.imagify.restore.RestoreListener;
import io.github.imagify.restore.Shard;

/**
 * What Imagify Denoise does, without its dialog: restores an open image, or image files (a file or a folder), or for
 * cluster job arrays one shard of them or the stitching of one image's bands. A request checks its keys' combinations
 * when it is made.
 */
public final class Restoration {

	private Restoration() {}

	/**
	 * @param image        the image to restore when there is no {@code input}
	 * @param input        an image file or a folder of images to restore, or null
	 * @param output       with {@code input}: the file or folder the results go to
	 * @param model        a model file or bundled model name; empty: the bundled denoiser for each image's channels
	 * @param tileSize     edge of the region restored per network call
	 * @param threads      CPU threads for ONNX Runtime; 0: all cores
	 * @param ensemble     copies of each tile averaged (1, 2, 4 or 8)
	 * @param blurSigma    the images' blur sigma in pixels, for a model told the blur; null when not known
	 * @param keepBitDepth results at the input's bit depth, rounded and clipped, instead of 32-bit
	 * @param shard        with {@code input}: restore only this part, or null for all
	 * @param stitch       with {@code input}: assemble the bands the shards of one image wrote
	 */
	public record Request(ImagePlus image, Path input, Path output, String model, int tileSize, int threads, int ensemble, Double blurSigma,
			boolean keepBitDepth, Shard shard, boolean stitch) {

		public Request {
			boolean files = input != null;
			if ((shard != null || stitch) && !files)
				throw new IllegalArgumentException((stitch ? "stitch" : "shard") + " works on files: set input=<file or folder> and output=<file or folder>");
			if (shard != null && stitch)
				throw new IllegalArgumentException("stitch=true assembles the bands of all shards: leave out 'shard' in the stitch step");
			if (!files && image == null)
				throw new IllegalArgumentException("No image to restore: open an image, or set input=<file or folder> and output=<file or folder>");
			if (files && output == null)
				throw new IllegalArgumentException("'input' is set but 'output' is not; give an output file or folder");
		}
	}

	/**
	 * @param restored the restored image, or null when files were restored or the listener cancelled
	 * @param written  the files written (fewer if cancelled; the assembled image when stitching)
	 */
	public record Result(ImagePlus restored, List<Path> written) {}

	/** Restores what the request names; {@code log} gets the model lines, {@code listener} progress and the per-file lines. */
	public static Result run(Request request, Consumer<String> log, RestoreListener listener) throws Exception {
		try (ModelChoice models = new ModelChoice(request.model(), request.tileSize(), request.threads(), request.ensemble(), request.blurSigma(), log)) {
			if (request.input() == null)
				return new Result(models.forImage(request.image()).restore(request.image(), request.keepBitDepth(), listener), List.of());
			FileRestorer files = new FileRestorer(models, request.keepBitDepth());
			if (request.stitch()) return new Result(null, List.of(files.stitch(request.input(), request.output(), listener)));
			return new Result(null, files.restore(request.input(), request.output(), request.shard(), listener));
		}
	}
}
