package io.github.imagify.evaluate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

import ij.ImagePlus;
import io.github.imagify.data.TrainingImages;
import io.github.imagify.degrade.Degradation;
import io.github.imagify.degrade.DegradationSpec;
import io.github.imagify.degrade.VolumeDegradations;
import io.github.imagify.image.FloatImage;
import io.github.imagify.image.FloatVolume;
import io.github.imagify.image.Normalization;
import io.github.imagify.image.Tiling;
import io.github.imagify.imagej.ImagePlusImages;
import io.github.imagify.imagej.restore.ModelChoice;
import io.github.imagify.io.AtomicFiles;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.metrics.Metrics;
import io.github.imagify.restore.RestoreListener;
import io.github.imagify.restore.Restorer;

/**
 * Measures a model on clean images: degrade each one (or read its degraded partner), restore it, and score
 * PSNR/SSIM against the clean image, optionally beside classic filters measured in the same run.
 * Protocol, as in denoising papers: the degraded input is neither clipped nor quantised; for 8-bit and RGB
 * images every restored result is clipped to 0..255 and PSNR uses a peak of 255; other bit depths use the
 * clean plane's percentile range as the peak and are not clipped. Each image is degraded with a fresh
 * {@code Random(seed)}, so its score does not depend on which other images are in the folder.
 */
public final class Evaluator {

	/** Column name of the degraded input's own score. */
	public static final String DEGRADED = "degraded";
	/** Column name of the model's score. */
	public static final String MODEL = "imagify";

	public record Score(double psnr, double ssim) {}

	/** One row of the results: an image (plane) and each method's score, in column order. */
	public record Row(String image, Map<String, Score> scores) {}

	/**
	 * What Imagify Evaluate measures, as its keys give it.
	 *
	 * @param images      a clean image file or a folder of clean images
	 * @param degraded    their degraded partners (a file, or a folder of files of the same names), or null to degrade them
	 * @param model       a model file or bundled model name; empty: the bundled denoiser for each image's channels
	 * @param ensemble    copies of each tile averaged (1, 2, 4 or 8)
	 * @param degradation what degrades the clean images; with pairs it only says which classic filters fit and, for a
	 *                    model told the blur, the blur sigma it is told
	 * @param seed        the degradation's random seed
	 * @param compare     also score the classic filters that fit the degradation
	 * @param csv         a CSV file to write the scores to, or null
	 */
	public record Request(Path images, Path degraded, String model, int ensemble, DegradationSpec degradation, long seed, boolean compare,
			Path csv) {

		public Request {
			if (images == null) throw new IllegalArgumentException("'images' is not set; give a clean image file or a folder of clean images");
		}
	}

	/** The scores per image (plane), and the CSV file written, or null. */
	public record Result(List<Row> rows, Path csv) {}

	private final ModelChoice models;
	private final DegradationSpec degradation;
	private final long seed;
	private final boolean compare;

	/**
	 * @param degradation what to apply to the clean images (with {@code degraded} pairs it only says which
	 *                    classic filters fit); strengths must be single values, not ranges
	 * @param compare     also score the classic filters that fit the degradation
	 */
	public Evaluator(ModelChoice models, DegradationSpec degradation, long seed, boolean compare) {
		degradation.validate();
		if (degradation.noiseSigmaMin() != degradation.noiseSigmaMax() || degradation.blurSigmaMin() != degradation.blurSigmaMax())
			throw new IllegalArgumentException("Evaluate takes single strengths (e.g. noise_sigma=25), not ranges; run it once per value");
		this.models = models;
		this.degradation = degradation;
		this.seed = seed;
		this.compare = compare;
	}

	/**
	 * Measures what the request names and writes its CSV; {@code log} gets the model lines, {@code listener} progress.
	 * Returns null if the listener cancelled (no CSV is written then).
	 */
	public static Result run(Request request, Consumer<String> log, RestoreListener listener) throws Exception {
		DegradationSpec spec = request.degradation();
		boolean pairs = request.degraded() != null;
		// a model told the blur is told the true one (pairs: the blur_sigma key's)
		Double told = pairs || DegradationSpec.GAUSSIAN_BLUR.equals(spec.type()) ? spec.blurSigmaMin() : null;
		try (ModelChoice models = new ModelChoice(request.model(), Restorer.AUTOMATIC_TILE_SIZE, 0, request.ensemble(), told, log)) {
			log.accept((pairs ? "degraded/clean pairs" : spec.describe()) + ", seed " + request.seed());
			List<Row> rows = new Evaluator(models, spec, request.seed(), request.compare()).evaluate(request.images(), request.degraded(), listener);
			if (rows == null) return null;
			if (request.csv() != null) AtomicFiles.write(request.csv(), csv(rows).getBytes(StandardCharsets.UTF_8));
			return new Result(rows, request.csv());
		}
	}

	/**
	 * Scores every plane of {@code clean} (a file or a folder of images). With {@code degradedPartners} (a
	 * file, or a folder holding files of the same names) those are the inputs; otherwise the degradation
	 * makes them. Returns null if the listener cancelled.
	 */
	public List<Row> evaluate(Path clean, Path degradedPartners, RestoreListener listener) throws Exception {
		List<Path> files = cleanFiles(clean);
		List<Row> rows = new ArrayList<>();
		for (int f = 0; f < files.size(); f++) {
			Path file = files.get(f);
			ImagePlus cleanImage = ImageFiles.read(file);
			ImagePlus partner = null;
			if (degradedPartners != null) {
				Path p = Files.isDirectory(degradedPartners) ? degradedPartners.resolve(file.getFileName().toString()) : degradedPartners;
				if (!Files.exists(p)) throw new IOException("No degraded partner of " + file.getFileName() + " in " + degradedPartners
						+ "; degraded images must have the clean images' names");
				partner = ImageFiles.read(p);
				// a degraded partner may be 32-bit (noisy data is not quantised) but must hold the same planes and channels
				if (partner.getWidth() != cleanImage.getWidth() || partner.getHeight() != cleanImage.getHeight()
						|| partner.getStackSize() != cleanImage.getStackSize()
						|| ImagePlusImages.channelsPerPlane(partner) != ImagePlusImages.channelsPerPlane(cleanImage))
					throw new IOException(p + " and " + file + " differ in size or type; pairs must match");
			}
			Restorer restorer = models.forChannels(ImagePlusImages.channelsPerPlane(cleanImage));
			if (restorer.is3d()) {
				double fileShare = 1.0 / files.size(), fileStart = (double) f / files.size();
				if (!evaluateVolumes(file, cleanImage, partner, restorer, rows, listener, fileStart, fileShare)) return null;
				continue;
			}
			int planes = cleanImage.getStackSize();
			for (int i = 1; i <= planes; i++) {
				String name = file.getFileName() + (planes > 1 ? "#" + i : "");
				double planeShare = 1.0 / files.size() / planes, start = (double) f / files.size() + (i - 1) * planeShare;
				Row row = evaluatePlane(name, cleanImage.getBitDepth(), ImagePlusImages.plane(cleanImage, i),
						partner == null ? null : ImagePlusImages.plane(partner, i), (done, total) -> listener.progress(start + planeShare * done / total));
				if (row == null) return null;
				rows.add(row);
				listener.log(format(row));
			}
		}
		return rows;
	}

	private Row evaluatePlane(String name, int bitDepth, FloatImage clean, FloatImage given, Tiling.Progress progress)
			throws Exception {
		double dataRange = TrainingImages.dataRange(bitDepth, clean, Normalization.DEFAULT);
		boolean clip = bitDepth == 8 || bitDepth == 24;
		FloatImage degraded = given;
		if (degraded == null) {
			Degradation d = degradation.toDegradation();
			degraded = d.apply(clean, dataRange, new Random(seed));
		}
		Map<String, Score> scores = new LinkedHashMap<>();
		scores.put(DEGRADED, score(clean, degraded, dataRange));
		FloatImage restored = models.forChannels(degraded.channels()).restore(degraded, progress);
		if (restored == null) return null;
		scores.put(MODEL, score(clean, clipped(restored, clip), dataRange));
		if (compare) new ClassicBaselines(degradation, clean, degraded, dataRange, clip).scoreInto(scores);
		return new Row(name, scores);
	}

	/**
	 * A 3D model scores each Z-stack of the image (every channel and time point) as one volume, restored as Denoise
	 * restores it: PSNR over its voxels, SSIM the mean over its planes, the clean stack's range as the peak. A synthetic
	 * degradation acts on every voxel (a blur in X and Y only; give degraded partners for a blur across planes). With
	 * {@code compare} the classic filters restore it plane by plane, each setting scored over the whole stack.
	 */
	private boolean evaluateVolumes(Path file, ImagePlus clean, ImagePlus partner, Restorer restorer, List<Row> rows, RestoreListener listener,
			double fileStart, double fileShare) throws Exception {
		if (partner != null && (partner.getNChannels() != clean.getNChannels() || partner.getNSlices() != clean.getNSlices()))
			throw new IOException(file.getFileName() + " and its degraded partner differ in channels or Z planes; pairs must match");
		int channels = clean.getNChannels(), frames = clean.getNFrames(), volumes = channels * frames;
		restorer.checkDepth(clean.getNSlices());
		int done = 0;
		for (int t = 1; t <= frames; t++)
			for (int c = 1; c <= channels; c++) {
				String name = ImagePlusImages.volumeName(file.getFileName().toString(), clean, c, t);
				double start = fileStart + fileShare * done / volumes;
				FloatVolume truth = ImagePlusImages.volume(clean, c, t);
				double dataRange = TrainingImages.dataRange(clean.getBitDepth(), truth.asPlanes(), Normalization.DEFAULT);
				FloatVolume degraded = partner != null ? ImagePlusImages.volume(partner, c, t)
						: VolumeDegradations.of(degradation, "").apply(truth, dataRange, new Random(seed));
				Map<String, Score> scores = new LinkedHashMap<>();
				scores.put(DEGRADED, score(truth.asPlanes(), degraded.asPlanes(), dataRange));
				FloatVolume restored = restorer.restore(degraded, (tiles, total) -> listener.progress(start + fileShare / volumes * tiles / total));
				if (restored == null) return false;
				boolean clip = clean.getBitDepth() == 8 || clean.getBitDepth() == 24;
				scores.put(MODEL, score(truth.asPlanes(), clipped(restored.asPlanes(), clip), dataRange));
				if (compare) new ClassicBaselines(degradation, planes(truth), planes(degraded), dataRange, clip).scoreInto(scores);
				Row row = new Row(name, scores);
				rows.add(row);
				listener.log(format(row));
				done++;
			}
		return true;
	}

	/** A volume's planes, each with its colour channels, for the classic filters, which work plane by plane. */
	private static List<FloatImage> planes(FloatVolume volume) {
		List<FloatImage> planes = new ArrayList<>();
		for (int z = 0; z < volume.depth(); z++) planes.add(volume.planeImage(z));
		return planes;
	}

	static Score score(FloatImage clean, FloatImage result, double dataRange) {
		return new Score(Metrics.psnr(clean, result, dataRange), Metrics.ssim(clean, result, dataRange));
	}

	static FloatImage clipped(FloatImage image, boolean clip) {
		if (!clip) return image;
		FloatImage out = image.copy();
		float[] d = out.data();
		for (int i = 0; i < d.length; i++) d[i] = Math.max(0f, Math.min(255f, d[i]));
		return out;
	}

	private static List<Path> cleanFiles(Path clean) throws IOException {
		if (!Files.exists(clean)) throw new IOException("Clean images not found: " + clean + "; set 'images' to a file or folder of clean images");
		if (!Files.isDirectory(clean)) return List.of(clean);
		List<Path> files = ImageFiles.listImages(clean);
		if (files.isEmpty()) throw new IOException("No images (.tif, .png, .jpg, ...) in folder " + clean);
		return files;
	}

	/** The mean of each column over the rows (PSNR averaged over images, as benchmarks report it). */
	public static Row mean(List<Row> rows) {
		Map<String, Score> mean = new LinkedHashMap<>();
		for (String method : methods(rows)) {
			double p = 0, s = 0;
			int n = 0;
			for (Row r : rows) {
				Score sc = r.scores().get(method);
				if (sc == null) continue;
				p += sc.psnr();
				s += sc.ssim();
				n++;
			}
			mean.put(method, new Score(p / n, s / n));
		}
		return new Row("mean", mean);
	}

	/** Column names, in first-seen order. */
	public static List<String> methods(List<Row> rows) {
		Set<String> names = new LinkedHashSet<>();
		rows.forEach(r -> names.addAll(r.scores().keySet()));
		return new ArrayList<>(names);
	}

	/** CSV with a header, one line per row and a final "mean" line; PSNR in dB. */
	public static String csv(List<Row> rows) {
		List<String> methods = methods(rows);
		StringBuilder sb = new StringBuilder("image");
		for (String m : methods) sb.append(',').append(m).append("_psnr,").append(m).append("_ssim");
		sb.append('\n');
		List<Row> all = new ArrayList<>(rows);
		all.add(mean(rows));
		for (Row r : all) {
			sb.append(quote(r.image()));
			for (String m : methods) {
				Score s = r.scores().get(m);
				sb.append(',').append(s == null ? "" : String.format(Locale.ROOT, "%.4f", s.psnr()))
						.append(',').append(s == null ? "" : String.format(Locale.ROOT, "%.5f", s.ssim()));
			}
			sb.append('\n');
		}
		return sb.toString();
	}

	/** "name: degraded 20.17 dB / 0.412, imagify 28.90 dB / 0.823, ..." for logs. */
	public static String format(Row row) {
		StringBuilder sb = new StringBuilder(row.image()).append(':');
		String sep = " ";
		for (Map.Entry<String, Score> e : row.scores().entrySet()) {
			sb.append(sep).append(String.format(Locale.ROOT, "%s %.2f dB / SSIM %.3f", e.getKey(), e.getValue().psnr(), e.getValue().ssim()));
			sep = ", ";
		}
		return sb.toString();
	}

	private static String quote(String s) {
		return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
	}
}
