package io.github.imagify.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ij.ImagePlus;
import io.github.imagify.image.ImagePlusImages;
import io.github.imagify.io.ImageFiles;

/**
 * Restores image files: one file to one file, or every image of a folder into another folder under the
 * same names. Outputs are written atomically; inputs are never written.
 */
public final class FileRestorer {

	private final ModelChoice models;
	private final boolean keepBitDepth;

	public FileRestorer(ModelChoice models) {
		this(models, false);
	}

	/** @param keepBitDepth write every result at its input's bit depth (rounded, clipped), not only where the format needs it */
	public FileRestorer(ModelChoice models, boolean keepBitDepth) {
		this.models = models;
		this.keepBitDepth = keepBitDepth;
	}

	/** The outputs written, or fewer if cancelled. */
	public List<Path> restore(Path input, Path output, RestoreListener listener) throws Exception {
		List<Path[]> jobs = plan(input, output);
		List<Path> written = new ArrayList<>();
		for (int i = 0; i < jobs.size(); i++) {
			Path in = jobs.get(i)[0], out = jobs.get(i)[1];
			int index = i;
			long start = System.nanoTime();
			ImagePlus source = ImageFiles.read(in);
			ImagePlus restored = models.forImage(source).restore(source,
					new RestoreListener() {
						@Override
						public boolean progress(double fraction) {
							return listener.progress((index + fraction) / jobs.size());
						}
					});
			if (restored == null) return written;
			if (keepBitDepth || !ImageFiles.holdsFloat(out)) restored = ImagePlusImages.toBitDepth(restored, source.getBitDepth());
			ImageFiles.write(restored, out);
			written.add(out);
			listener.log(String.format("Restored %s -> %s (%d/%d, %.1f s)", in, out, i + 1, jobs.size(), (System.nanoTime() - start) / 1e9));
		}
		return written;
	}

	/** Pairs of (input file, output file); validates the paths before anything is written. */
	static List<Path[]> plan(Path input, Path output) throws IOException {
		if (!Files.exists(input)) throw new IOException("Input not found: " + input + "; check the 'input' path");
		if (output == null) throw new IllegalArgumentException("No output given; set 'output' to a file or folder to write the restored images to");
		if (Files.exists(output) && Files.isSameFile(input, output))
			throw new IllegalArgumentException("'output' is the same as 'input' (" + input + "); choose another path so the input is kept");
		List<Path[]> jobs = new ArrayList<>();
		if (Files.isDirectory(input)) {
			if (Files.exists(output) && !Files.isDirectory(output))
				throw new IllegalArgumentException("'input' is a folder, so 'output' must be a folder too, but " + output + " is a file");
			List<Path> images = ImageFiles.listImages(input);
			if (images.isEmpty()) throw new IOException("No images (.tif, .png, .jpg, ...) in folder " + input);
			Files.createDirectories(output);
			for (Path p : images) jobs.add(new Path[] { p, output.resolve(p.getFileName().toString()) });
		} else {
			if (Files.isDirectory(output)) output = output.resolve(input.getFileName().toString());
			if (Files.exists(output) && Files.isSameFile(input, output))
				throw new IllegalArgumentException("'output' is the same as 'input' (" + input + "); choose another path so the input is kept");
			jobs.add(new Path[] { input, output });
		}
		return jobs;
	}
}
