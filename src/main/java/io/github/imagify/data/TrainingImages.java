package io.github.imagify.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import ij.ImagePlus;
import io.github.imagify.degrade.Degradation;
import io.github.imagify.degrade.DegradationSpec;
import io.github.imagify.image.FloatImage;
import io.github.imagify.image.Normalization;
import io.github.imagify.image.OpponentColours;
import io.github.imagify.image.PlaneView;
import io.github.imagify.image.Tiling;
import io.github.imagify.imagej.ImagePlusImages;
import io.github.imagify.io.ImageFiles;

/** Loads a training folder (clean images) or two folders of matching degraded/clean pairs. */
public final class TrainingImages {

	private TrainingImages() {}

	/**
	 * Every plane of every image in {@code cleanFolder}. With {@code degradedFolder}, each clean image needs
	 * a degraded file of the same name there; otherwise {@code degradation} (used once here, seeded, to
	 * measure the normalisation range the network will see) makes the inputs during training.
	 */
	public static List<TrainingImage> load(Path cleanFolder, Path degradedFolder, Degradation degradation,
			Normalization normalization, long seed) throws IOException {
		return load(cleanFolder, degradedFolder, degradation, normalization, seed, false);
	}

	/** As above; with {@code asGrey}, RGB images are converted to grey (ImageJ's luminance weights) first. */
	public static List<TrainingImage> load(Path cleanFolder, Path degradedFolder, Degradation degradation,
			Normalization normalization, long seed, boolean asGrey) throws IOException {
		List<Path> files = imageFiles(cleanFolder);
		if (degradedFolder != null && !Files.isDirectory(degradedFolder))
			throw new IOException("Degraded folder not found: " + degradedFolder + "; set 'degraded' to a folder of degraded images or leave it empty");
		Random rng = new Random(seed);
		List<TrainingImage> images = new ArrayList<>();
		int channels = -1;
		String firstName = null;
		for (Path file : files) {
			ImagePlus clean = asGrey ? grey(ImageFiles.read(file)) : ImageFiles.read(file);
			ImagePlus degraded = null;
			if (degradedFolder != null) {
				Path partner = degradedFolder.resolve(file.getFileName().toString());
				if (!Files.exists(partner))
					throw new IOException("Pairs mode: no degraded image named " + file.getFileName() + " in " + degradedFolder);
				degraded = asGrey ? grey(ImageFiles.read(partner)) : ImageFiles.read(partner);
				if (degraded.getWidth() != clean.getWidth() || degraded.getHeight() != clean.getHeight()
						|| degraded.getStackSize() != clean.getStackSize() || degraded.getType() != clean.getType())
					throw new IOException("Pairs mode: " + partner + " and " + file + " differ in size or type");
			}
			int c = ImagePlusImages.channelsPerPlane(clean);
			if (channels < 0) { channels = c; firstName = file.getFileName().toString(); }
			else if (c != channels)
				throw new IOException("Training images mix grey and RGB (" + firstName + " has " + channels + " channel(s), "
						+ file.getFileName() + " has " + c + "); train on one kind");
			for (int i = 1; i <= clean.getStackSize(); i++) {
				FloatImage cleanPlane = ImagePlusImages.plane(clean, i);
				FloatImage degradedPlane = degraded == null ? null : ImagePlusImages.plane(degraded, i);
				double dataRange = dataRange(clean.getBitDepth(), cleanPlane, normalization);
				FloatImage probe = degradedPlane != null ? degradedPlane : degradation.apply(cleanPlane, dataRange, rng);
				String name = file.getFileName() + (clean.getStackSize() > 1 ? "#" + i : "");
				images.add(new TrainingImage(name, cleanPlane, degradedPlane, dataRange, normalization.measure(probe)));
			}
		}
		return images;
	}

	/**
	 * The opponent colour planes ({@link OpponentColours}: luminance and two colour differences) of every RGB image in
	 * {@code cleanFolder}, each a grey training image, as a grey model sees an RGB image when it restores it. The
	 * three planes of an image share one normalisation range, measured over all three on a seeded degraded copy,
	 * as {@code Restorer} measures it on the image it restores. {@code degradation} then acts on each plane alone,
	 * which is the same as acting on R, G and B alike only for a linear degradation (white Gaussian noise, blur,
	 * downscaling): {@link #checkOpponentDegradation} says so for the others.
	 */
	public static List<TrainingImage> loadOpponentPlanes(Path cleanFolder, Degradation degradation, Normalization normalization,
			long seed) throws IOException {
		return loadOpponentPlanes(cleanFolder, degradation, normalization, seed, false);
	}

	/**
	 * As above; with {@code luminanceGuide}, only the two colour-difference planes, each with the clean luminance as
	 * its guide, for a model told the noisy luminance ({@link io.github.imagify.model.UNetSpec#LUMINANCE}).
	 */
	public static List<TrainingImage> loadOpponentPlanes(Path cleanFolder, Degradation degradation, Normalization normalization,
			long seed, boolean luminanceGuide) throws IOException {
		List<Path> files = imageFiles(cleanFolder);
		Random rng = new Random(seed);
		List<TrainingImage> images = new ArrayList<>();
		for (Path file : files) {
			ImagePlus clean = ImageFiles.read(file);
			if (clean.getType() != ImagePlus.COLOR_RGB)
				throw new IOException("as_opponent=true trains on RGB images, but " + file.getFileName()
						+ " is not RGB; remove it from the folder or train with as_grey=true");
			for (int i = 1; i <= clean.getStackSize(); i++) {
				FloatImage rgb = ImagePlusImages.plane(clean, i);
				Normalization.Range range = normalization.measure(OpponentColours.view(degradation.apply(rgb, 255, rng)));
				PlaneView opponent = OpponentColours.view(rgb);
				String name = file.getFileName() + (clean.getStackSize() > 1 ? "#" + i : "");
				FloatImage luminance = Tiling.extract(opponent.channel(0), 0, 0, rgb.height(), rgb.width());
				for (int c = luminanceGuide ? 1 : 0; c < 3; c++) {
					FloatImage plane = c == 0 ? luminance : Tiling.extract(opponent.channel(c), 0, 0, rgb.height(), rgb.width());
					images.add(new TrainingImage(name + ":" + OPPONENT_PLANES[c], plane, null, 255, range, luminanceGuide ? luminance : null));
				}
			}
		}
		return images;
	}

	/** The image files of a training folder, which must exist and hold some. */
	private static List<Path> imageFiles(Path cleanFolder) throws IOException {
		if (!Files.isDirectory(cleanFolder))
			throw new IOException("Training folder not found: " + cleanFolder + "; set 'images' to a folder of clean images");
		List<Path> files = ImageFiles.listImages(cleanFolder);
		if (files.isEmpty())
			throw new IOException("No images (.tif, .png, .jpg, ...) in training folder " + cleanFolder);
		return files;
	}

	/** Names of the opponent planes, in {@link OpponentColours} order. */
	static final String[] OPPONENT_PLANES = { "luminance", "red-blue", "green-magenta" };

	/** Refuses a degradation that acts on R, G and B differently from how it acts on their opponent planes. */
	public static void checkOpponentDegradation(String type) {
		if (DegradationSpec.POISSON_NOISE.equals(type))
			throw new IllegalArgumentException("as_opponent=true needs a degradation that acts on each colour channel alike and linearly"
					+ " (gaussian_noise, gaussian_blur, downscale); poisson_noise depends on each channel's brightness, so train it with as_grey=true");
	}

	/**
	 * The value span that stands for 0..255 when degradation strengths are given on the 8-bit scale: 255 for
	 * 8-bit and RGB data, otherwise the clean plane's normalisation range.
	 */
	public static double dataRange(int bitDepth, FloatImage cleanPlane, Normalization normalization) {
		return bitDepth == 8 || bitDepth == 24 ? 255 : normalization.measure(cleanPlane).scale();
	}

	private static ImagePlus grey(ImagePlus imp) {
		if (imp.getType() != ImagePlus.COLOR_RGB) return imp;
		ij.ImageStack in = imp.getStack(), out = new ij.ImageStack(imp.getWidth(), imp.getHeight());
		for (int i = 1; i <= in.getSize(); i++) {
			ij.process.ColorProcessor cp = (ij.process.ColorProcessor) in.getProcessor(i);
			cp.setRGBWeights(0.299, 0.587, 0.114); // luminance, independent of ImageJ's global setting
			out.addSlice(in.getSliceLabel(i), cp.convertToByteProcessor());
		}
		return new ImagePlus(imp.getTitle(), out);
	}
}
