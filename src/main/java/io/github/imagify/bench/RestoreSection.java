package io.github.imagify.bench;

import java.io.PrintStream;
import java.util.Map;

import ij.ImagePlus;
import io.github.imagify.image.Tiling;
import io.github.imagify.imagej.restore.ImageRestorer;
import io.github.imagify.imagej.restore.ModelChoice;
import io.github.imagify.modelfile.ModelInfo;
import io.github.imagify.ort.OnnxNetwork;
import io.github.imagify.restore.RestoreListener;

/**
 * Restores a large synthetic 16-bit image the way "Imagify Denoise" restores the active image: the bundled model
 * chosen by {@link ModelChoice} for the image's channels, {@link ImageRestorer} (normalisation, tiling with
 * context, ONNX Runtime through DJL, back to the input's units, a 32-bit ImagePlus), default tile size and
 * threads unless given. Only the SciJava command wrapper is left out. The model is loaded once (timed apart),
 * and a small image with the same tile shape warms ONNX Runtime up first (also timed apart).
 */
final class RestoreSection {

	private RestoreSection() {}

	static void run(int size, int tileSize, int threads, int repeats, double flopsPerPixel, Map<String, Double> figures, PrintStream out)
			throws Exception {
		ImagePlus image = Inputs.noisy16(size, 1);
		try (ModelChoice models = new ModelChoice("", tileSize, threads, message -> out.println("restore: " + message))) {
			long start = System.nanoTime();
			ImageRestorer restorer = models.forImage(image);
			double load = (System.nanoTime() - start) / 1e9;
			ModelInfo info = models.forChannels(1).info();
			double warmUp = Measure.seconds(1, () -> restorer.restore(Inputs.noisy16(Math.min(size, 2 * tileSize), 2), RestoreListener.SILENT))[0];
			double[] runs = Measure.seconds(repeats, () -> {
				if (restorer.restore(image, RestoreListener.SILENT) == null) throw new IllegalStateException("restore cancelled");
			});

			// the pixels the network actually computes: every tile's core plus its context
			Tiling tiling = new Tiling(info.sizeMultiple(), info.context(), tileSize, 1);
			double tiled = tiling.plan(size, size).stream().mapToDouble(t -> (double) t.inputHeight() * t.inputWidth()).sum();
			double overhead = tiled / ((double) size * size);
			double seconds = Measure.median(runs);
			double mpx = (double) size * size / 1e6 / seconds;
			double gflops = flopsPerPixel * tiled / seconds / 1e9;
			out.println("restore: ONNX Runtime " + OnnxNetwork.sessionOptions(threads));
			out.println(String.format("restore: model load %.2f s, warm-up %.2f s; tiles of %d px + %d px context (%dx%d input), "
					+ "%.3fx the image's pixels", load, warmUp, tiling.coreSize(), tiling.context(), tiling.coreSize() + 2 * tiling.context(),
					tiling.coreSize() + 2 * tiling.context(), overhead));
			out.println(String.format("restore: %dx%d 16-bit, %s = %.3f Mpx/s, %.1f GFLOP/s executed (%.0f FLOPs per output pixel)",
					size, size, Measure.describe(runs), mpx, gflops, flopsPerPixel * overhead));
			figures.put("tile_size", (double) tiling.coreSize());
			figures.put("flops_per_px_tiled", flopsPerPixel * overhead);
			figures.put("restore_load_s", load);
			figures.put("restore_warmup_s", warmUp);
			figures.put("restore_s", seconds);
			figures.put("restore_mpx_s", mpx);
			figures.put("restore_gflops", gflops);
		}
	}
}
