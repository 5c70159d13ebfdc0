package io.github.imagify.command;

import java.util.Arrays;

import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.imagify.bioimageio.BioimageioExport;

/**
 * Writes a model as a bioimage.io model package (a zip deepImageJ installs).
 * Keys: {@code model}, {@code output}, {@code test_image}, {@code authors}, {@code license}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Imagify>Imagify Export", label = "Imagify Export")
public class ExportCommand extends ContextCommand {

	@Parameter
	private LogService log;

	@Parameter(label = "Model", required = false, persist = false, description = "A model file written by Imagify Train, or a bundled model name (denoise-gray, denoise-rgb, deblur, deblur-blind)")
	private String model = "";

	@Parameter(label = "Output package (.zip)", required = false, persist = false, description = "The bioimage.io package to write")
	private String output = "";

	@Parameter(label = "Test image", required = false, persist = false, description = "An image for the package's test tensors and cover (a Z-stack for a 3D model); empty makes a synthetic one")
	private String test_image = "";

	@Parameter(label = "Authors (comma-separated)", required = false, persist = false, description = "Names of the model's authors; empty: " + BioimageioExport.DEFAULT_AUTHOR)
	private String authors = "";

	@Parameter(label = "Licence (SPDX id)", required = false, persist = false, description = "e.g. Apache-2.0, MIT, CC-BY-4.0; empty: " + BioimageioExport.DEFAULT_LICENSE)
	private String license = "";

	@Override
	public void run() {
		try {
			BioimageioExport.Request request = new BioimageioExport.Request(model, Keys.path(output), Keys.path(test_image),
					authors == null || authors.isBlank() ? null : Arrays.asList(authors.split(",")), license);
			long start = System.nanoTime();
			BioimageioExport.Result result = BioimageioExport.export(request, log::info);
			log.info(String.format("Imagify Export: wrote %s ('%s', bioimage.io %s) in %.1f s", result.output(), result.name(),
					BioimageioExport.FORMAT_VERSION, (System.nanoTime() - start) / 1e9));
		} catch (Exception | OutOfMemoryError e) {
			Failure.report(this, log, "Imagify Export", e);
		}
	}
}
