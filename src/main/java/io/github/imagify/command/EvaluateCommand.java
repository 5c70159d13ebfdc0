package io.github.imagify.command;

import java.awt.GraphicsEnvironment;
import java.util.List;
import java.util.Map;

import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.IJ;
import ij.measure.ResultsTable;
import io.github.imagify.degrade.DegradationSpec;
import io.github.imagify.evaluate.Evaluator;

/**
 * Measures a model on clean images (a file or a folder) under a synthetic degradation, or on degraded/clean
 * pairs: PSNR and SSIM per image and the mean, in ImageJ's results table (which macros read) and, with
 * {@code output}, as a CSV file. {@code compare=true} adds classic filters measured in the same run.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Imagify>Imagify Evaluate", label = "Imagify Evaluate")
public class EvaluateCommand extends ContextCommand {

	@Parameter
	private LogService log;

	@Parameter
	private StatusService status;

	@Parameter(label = "Clean images (file or folder)", persist = false, required = false)
	private String images = "";

	@Parameter(label = "Degraded images (file or folder, pairs mode)", persist = false, required = false,
			description = "Optional: degraded versions of the clean images under the same names; then no synthetic degradation is applied")
	private String degraded = "";

	@Parameter(label = "Model", persist = false, required = false,
			description = "A model file or a bundled model name; empty: denoise-gray for grey images, denoise-rgb for RGB")
	private String model = "";

	@Parameter(label = "Self-ensemble", persist = false, required = false, choices = { "1", "2", "4", "8" },
			description = "Average the model's output over this many mirrored and rotated copies of each image: 1 = off")
	private String ensemble = "1";

	@Parameter(label = "Degradation", persist = false, required = false,
			choices = { "gaussian_noise", "gaussian_blur", "poisson_noise", "downscale" })
	private String degradation = "gaussian_noise";

	@Parameter(label = "Noise sigma (0-255 scale)", persist = false, required = false,
			description = "Empty: 25 for gaussian_noise, no added noise for the other degradations")
	private String noise_sigma = "";

	@Parameter(label = "Blur sigma in px", persist = false, required = false,
			description = "gaussian_blur's sigma; a model told the blur is told it (in pairs mode too)")
	private String blur_sigma = "1.5";

	@Parameter(label = "Poisson peak (photons at the top of the range)", persist = false, required = false)
	private double poisson_peak = 30;

	@Parameter(label = "Downscale factor", persist = false, required = false)
	private int factor = 2;

	@Parameter(label = "Random seed of the degradation", persist = false, required = false)
	private long seed = 7;

	@Parameter(label = "Compare with classic filters (Gaussian, median, non-local means, Richardson-Lucy)", persist = false, required = false)
	private boolean compare = false;

	@Parameter(label = "CSV file to write (optional)", persist = false, required = false)
	private String output = "";

	@Override
	public void run() {
		try {
			Evaluator.Request request = new Evaluator.Request(Keys.path(images), Keys.path(degraded), model, Ensemble.parse(ensemble),
					DegradationSpec.withDefaultNoise(degradation, blur_sigma, noise_sigma, poisson_peak, factor), seed, compare, Keys.path(output));
			Evaluator.Result result = Evaluator.run(request, line -> log.info("Imagify Evaluate: " + line), new CommandRestoreListener("Imagify Evaluate", status, log));
			if (result == null) {
				cancel("Imagify Evaluate was cancelled");
				return;
			}
			log.info("Imagify Evaluate: " + Evaluator.format(Evaluator.mean(result.rows())));
			fillResultsTable(result.rows());
			if (result.csv() != null) log.info("Imagify Evaluate: wrote " + result.csv());
		} catch (Exception | OutOfMemoryError e) {
			Failure.report(this, log, "Imagify Evaluate", e);
		} finally {
			status.clearStatus();
		}
	}

	/** ImageJ's system results table: macros read it with getResult("imagify_psnr", row); shown in the GUI. */
	private static void fillResultsTable(List<Evaluator.Row> rows) {
		ResultsTable table = ResultsTable.getResultsTable();
		table.reset();
		List<Evaluator.Row> all = new java.util.ArrayList<>(rows);
		all.add(Evaluator.mean(rows));
		for (Evaluator.Row row : all) {
			table.incrementCounter();
			table.addLabel(row.image());
			for (Map.Entry<String, Evaluator.Score> e : row.scores().entrySet()) {
				table.addValue(e.getKey() + "_psnr", e.getValue().psnr());
				table.addValue(e.getKey() + "_ssim", e.getValue().ssim());
			}
		}
		if (!GraphicsEnvironment.isHeadless() && IJ.getInstance() != null) table.show("Results");
	}
}
