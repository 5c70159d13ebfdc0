package io.github.imagify.imagej.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ij.ImagePlus;
import ij.ImageStack;
import io.github.imagify.imagej.ImagePlusImages;
import io.github.imagify.io.AtomicFiles;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.restore.RestoreListener;
import io.github.imagify.restore.Shard;

/**
 * Restores image files: one file to one file, or every image of a folder into another folder under the
 * same names; optionally one shard of them, for cluster job arrays. Outputs are written atomically; inputs
 * are never written.
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
		return restore(input, output, null, listener);
	}

	/**
	 * With a {@code shard}, restores only that part (see {@link Shard}) and skips outputs that exist: every write
	 * is atomic, so an existing output is complete, and a resubmitted job finishes the work without redoing any.
	 * A single input file is split by tile rows instead: the shard writes its band next to the output
	 * ({@link #bandFile}), and {@link #stitch} assembles the bands. Returns the files written.
	 */
	public List<Path> restore(Path input, Path output, Shard shard, RestoreListener listener) throws Exception {
		List<Path[]> jobs = plan(input, output);
		if (shard != null && shard.count() > 1 && !Files.isDirectory(input)) return restoreBand(jobs.get(0)[0], jobs.get(0)[1], shard, listener);
		if (shard != null) jobs = pending(jobs, shard, listener);
		List<Path> written = new ArrayList<>();
		for (int i = 0; i < jobs.size(); i++) {
			Path in = jobs.get(i)[0], out = jobs.get(i)[1];
			int index = i, total = jobs.size();
			long start = System.nanoTime();
			ImagePlus source = ImageFiles.read(in);
			ImagePlus restored = models.forImage(source).restore(source, keepBitDepth || !ImageFiles.holdsFloat(out), scaled(listener, index, total));
			if (restored == null) return written;
			ImageFiles.write(restored, out);
			written.add(out);
			listener.log(String.format("Restored %s -> %s (%d/%d, %.1f s)", in, out, i + 1, jobs.size(), (System.nanoTime() - start) / 1e9));
		}
		return written;
	}

	/** This shard's jobs whose output does not exist yet; removes what killed runs of them left behind. */
	private static List<Path[]> pending(List<Path[]> jobs, Shard shard, RestoreListener listener) throws IOException {
		List<Path[]> mine = shard.select(jobs, job -> job[0].getFileName().toString());
		List<Path[]> todo = new ArrayList<>();
		for (Path[] job : mine) {
			AtomicFiles.removeLeftovers(job[1]);
			if (!Files.isRegularFile(job[1])) todo.add(job);
		}
		listener.log("Shard " + shard + ": " + mine.size() + " of " + jobs.size() + " image(s), " + (mine.size() - todo.size())
				+ " already restored, " + todo.size() + " to restore");
		return todo;
	}

	/** Band {@code shard} of one image, written as a TIFF of the restored rows (32-bit, or RGB) beside the output. */
	private List<Path> restoreBand(Path in, Path out, Shard shard, RestoreListener listener) throws Exception {
		Path band = bandFile(out, shard);
		AtomicFiles.removeLeftovers(band);
		if (Files.isRegularFile(out) || Files.isRegularFile(band)) {
			listener.log("Shard " + shard + " of " + in + ": " + (Files.isRegularFile(out) ? out : band) + " exists already; nothing to do");
			return List.of();
		}
		long start = System.nanoTime();
		ImagePlus source = ImageFiles.read(in);
		ImageRestorer restorer = models.forImage(source);
		int[] rows = restorer.band(source, shard.index(), shard.count());
		ImageStack restored = restorer.restoreRows(source, rows[0], rows[1], false, scaled(listener, 0, 1));
		if (restored == null) return List.of();
		ImageFiles.write(new ImagePlus(band.getFileName().toString(), restored), band);
		listener.log(String.format("Restored rows %d-%d of %s -> %s (shard %s, %.1f s)", rows[0], rows[1] - 1, in, band, shard,
				(System.nanoTime() - start) / 1e9));
		return List.of(band);
	}

	/** Where shard {@code i/n} of a single image puts its band: "out.tif" -> "out.tif.band-2-of-4.tif". */
	public static Path bandFile(Path output, Shard shard) {
		return output.resolveSibling(output.getFileName() + ".band-" + shard.index() + "-of-" + shard.count() + ".tif");
	}

	/**
	 * Assembles the bands that the shards of one image wrote into the output (atomically) and deletes them.
	 * The result is the one a single run writes, byte for byte. If the output exists and no band is left,
	 * the image was stitched before: nothing to do.
	 */
	public Path stitch(Path input, Path output, RestoreListener listener) throws Exception {
		if (Files.isDirectory(input))
			throw new IllegalArgumentException("stitch=true assembles the bands of one image: set 'input' to the image file, not a folder");
		Path out = plan(input, output).get(0)[1];
		Pattern form = Pattern.compile(Pattern.quote(out.getFileName().toString()) + "\\.band-(\\d+)-of-(\\d+)\\.tif");
		TreeMap<Integer, Path> bands = new TreeMap<>();
		Set<Integer> counts = new TreeSet<>();
		try (var files = Files.list(out.toAbsolutePath().getParent())) {
			for (Path p : (Iterable<Path>) files::iterator) {
				Matcher m = form.matcher(p.getFileName().toString());
				if (!m.matches()) continue;
				bands.put(Integer.parseInt(m.group(1)), p);
				counts.add(Integer.parseInt(m.group(2)));
			}
		}
		if (bands.isEmpty()) {
			if (Files.isRegularFile(out)) {
				listener.log("Stitch: " + out + " is complete already; nothing to do");
				return out;
			}
			throw new IOException("No bands of " + out + " found (" + bandFile(out, new Shard(1, 2)).getFileName()
					+ ", ...): run the shards first, with the same input and output");
		}
		if (counts.size() > 1)
			throw new IllegalArgumentException("Bands of " + out + " from different shard counts " + counts + ": delete the stale ones and rerun");
		int n = counts.iterator().next();
		List<Integer> missing = new ArrayList<>();
		for (int i = 1; i <= n; i++) if (!bands.containsKey(i)) missing.add(i);
		if (!missing.isEmpty())
			throw new IOException("Band(s) " + missing + " of " + n + " of " + out + " are missing: run shard(s) "
					+ String.join(", ", missing.stream().map(i -> i + "/" + n).toList()) + " first");
		ImagePlus source = ImageFiles.read(input);
		ImageStack whole = null;
		int y = 0;
		for (Path p : bands.values()) {
			ImageStack band = ImageFiles.read(p).getStack();
			if (whole == null) {
				whole = new ImageStack(source.getWidth(), source.getHeight());
				for (int s = 1; s <= band.getSize(); s++)
					whole.addSlice(source.getStack().getSliceLabel(s), band.getProcessor(s).createProcessor(source.getWidth(), source.getHeight()));
			}
			if (band.getWidth() != source.getWidth() || band.getSize() != source.getStackSize() || y + band.getHeight() > source.getHeight()
					|| band.getBitDepth() != whole.getBitDepth())
				throw new IOException("Band " + p + " does not fit " + input + " (" + band.getWidth() + "x" + band.getHeight() + "x" + band.getSize()
						+ "): it is from another image; delete the bands and rerun the shards");
			for (int s = 1; s <= band.getSize(); s++) whole.getProcessor(s).insert(band.getProcessor(s), 0, y);
			y += band.getHeight();
		}
		if (y != source.getHeight())
			throw new IOException("The bands of " + out + " hold " + y + " rows, the image " + source.getHeight() + ": delete the bands and rerun the shards");
		ImagePlus restored = ImageRestorer.assemble(source, whole);
		if (keepBitDepth || !ImageFiles.holdsFloat(out)) restored = ImagePlusImages.toBitDepth(restored, source.getBitDepth());
		ImageFiles.write(restored, out);
		for (Path p : bands.values()) Files.deleteIfExists(p);
		listener.log("Stitched " + n + " bands -> " + out);
		return out;
	}

	private static RestoreListener scaled(RestoreListener listener, int index, int total) {
		return new RestoreListener() {
			@Override
			public boolean progress(double fraction) {
				return listener.progress((index + fraction) / total);
			}
		};
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
