package io.github.imagify.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

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

/**
 * Loads a training folder (clean images) or two folders of matching degraded/clean pairs; for self-supervised
 * training, a folder of noisy images, alone or paired with second acquisitions ({@link #loadNoisy}).
 */
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
			ImagePlus clean = read(file, asGrey);
			ImagePlus degraded = null;
			if (degradedFolder != null) {
				degraded = sameNamed(degradedFolder, file, asGrey);
				if (degraded == null)
					throw new IOException("Pairs mode: no degraded image named " + file.getFileName() + " in " + degradedFolder);
				if (!sameShape(degraded, clean) || !pairable(degraded, clean))
					throw new IOException("Pairs mode: " + degradedFolder.resolve(file.getFileName()) + " and " + file + " differ in size or type");
				if (samePixels(degraded, clean)) // nothing to restore: the validation loss would be 0 and its PSNR infinite
					throw new IOException("Pairs mode: " + degradedFolder.resolve(file.getFileName()) + " is the same image as " + file
							+ "; give the degraded version of each clean image");
			}
			int c = ImagePlusImages.channelsPerPlane(clean);
			if (channels < 0) { channels = c; firstName = file.getFileName().toString(); }
			else if (c != channels) throw mixed(firstName, channels, file, c);
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

	/**
	 * Noisy training planes for self-supervised training: every plane of every image in {@code folder} (32-bit images
	 * may hold any values, negative ones too), normalised with the range measured on it, its own target (Noise2Void) or,
	 * with {@code partnerFolder}, paired with the plane of the image of the same name there, a second noisy acquisition
	 * of the same scene (Noise2Noise; the names must pair up both ways). With {@code splitChannels}, each colour channel
	 * of an RGB image is a plane of its own, as noise is learnt channel by channel. With {@code cleanFolder}, each plane
	 * carries the same plane of the image of the same name there as its reference, the clean truth validation compares
	 * with (same size and stack, any bit depth, on the noisy images' intensity scale).
	 * <p>
	 * A constant plane has nothing to learn from: an image whose every plane is constant is refused, a constant plane
	 * or colour channel (a blank frame, an unused channel) beside others is left out.
	 */
	public static List<TrainingImage> loadNoisy(Path folder, Path partnerFolder, Path cleanFolder, Normalization normalization,
			boolean asGrey, boolean splitChannels) throws IOException {
		List<Path> files = imageFiles(folder);
		if (partnerFolder != null) pairUp(folder, files, partnerFolder);
		if (cleanFolder != null && !Files.isDirectory(cleanFolder))
			throw new IOException("Clean folder not found: " + cleanFolder + "; set 'clean' to a folder of clean versions of the training images, or leave it empty");
		List<TrainingImage> images = new ArrayList<>();
		int channels = -1;
		String firstName = null;
		for (Path file : files) {
			ImagePlus noisy = read(file, asGrey);
			ImagePlus partner = partnerFolder == null ? null : sameNamed(partnerFolder, file, asGrey);
			if (partner != null && (!sameShape(partner, noisy) || partner.getType() != noisy.getType()))
				throw new IOException("noise2noise: " + partnerFolder.resolve(file.getFileName()) + " and " + file + " differ in size or type; "
						+ "they must be two acquisitions of the same scene");
			if (partner != null && samePixels(partner, noisy)) // the network would learn to copy its input
				throw new IOException("noise2noise: " + partnerFolder.resolve(file.getFileName()) + " is the same image as " + file
						+ "; it needs a second acquisition of the scene, with noise of its own");
			ImagePlus reference = cleanFolder == null ? null : sameNamed(cleanFolder, file, asGrey);
			if (cleanFolder != null && reference == null)
				throw new IOException("'clean' has no image named " + file.getFileName() + " (in " + cleanFolder + "); it needs the clean version of every training image, under the same name");
			if (reference != null && !sameShape(reference, noisy))
				throw new IOException("The clean image " + cleanFolder.resolve(file.getFileName()) + " does not match " + file + ": " + shape(reference) + " vs "
						+ shape(noisy) + "; it must be the clean version of that image, of the same size");
			int c = ImagePlusImages.channelsPerPlane(noisy);
			if (channels < 0) { channels = c; firstName = file.getFileName().toString(); }
			else if (c != channels && !splitChannels) throw mixed(firstName, channels, file, c);
			int before = images.size();
			for (int i = 1; i <= noisy.getStackSize(); i++) {
				FloatImage plane = ImagePlusImages.plane(noisy, i);
				FloatImage second = partner == null ? plane : ImagePlusImages.plane(partner, i);
				FloatImage truth = reference == null ? null : ImagePlusImages.plane(reference, i);
				String name = file.getFileName() + (noisy.getStackSize() > 1 ? "#" + i : "");
				int parts = splitChannels ? plane.channels() : 1;
				for (int part = 0; part < parts; part++) {
					FloatImage a = parts == 1 ? plane : channel(plane, part), b = partner == null ? a : parts == 1 ? second : channel(second, part);
					if (constant(a) || constant(b)) continue;
					Normalization.Range range = normalization.measure(a);
					images.add(new TrainingImage(name + (parts == 1 ? "" : ":" + RGB_CHANNELS[part]), b, a, range.scale(), range, null,
							truth == null ? null : parts == 1 ? truth : channel(truth, part)));
				}
			}
			if (images.size() == before)
				throw new IOException("The training image " + file.getFileName() + " is constant" + (partner == null ? "" : " (or its noise2noise partner is)")
						+ ": there is nothing to learn from it; remove it from the folder");
		}
		return images;
	}

	/**
	 * Whether a degraded image and its clean one hold the same kind of pixels: their bit depths may differ (a 16-bit
	 * acquisition and its 32-bit truth are both read as floats), but not RGB against grey.
	 */
	static boolean pairable(ImagePlus degraded, ImagePlus clean) {
		return (degraded.getType() == ImagePlus.COLOR_RGB) == (clean.getType() == ImagePlus.COLOR_RGB);
	}

	/** Names of an RGB image's channels, as the planes split from it are named. */
	static final String[] RGB_CHANNELS = { "red", "green", "blue" };

	/** Noise2Noise's two folders must hold the same names: an acquisition without its partner cannot be trained on. */
	static void pairUp(Path folder, List<Path> files, Path partnerFolder) throws IOException {
		if (!Files.isDirectory(partnerFolder))
			throw new IOException("Degraded folder not found: " + partnerFolder + "; for noise2noise set 'degraded' to the folder of second noisy acquisitions");
		Set<String> names = new TreeSet<>(), partners = new TreeSet<>();
		for (Path f : files) names.add(f.getFileName().toString());
		for (Path f : ImageFiles.listImages(partnerFolder)) partners.add(f.getFileName().toString());
		Set<String> unpaired = new TreeSet<>(names);
		unpaired.removeAll(partners);
		Set<String> extra = new TreeSet<>(partners);
		extra.removeAll(names);
		if (!unpaired.isEmpty() || !extra.isEmpty())
			throw new IOException("noise2noise pairs images by name, but " + (unpaired.isEmpty() ? "" : unpaired + " in " + folder + " have no partner in 'degraded'")
					+ (unpaired.isEmpty() || extra.isEmpty() ? "" : " and ") + (extra.isEmpty() ? "" : extra + " in " + partnerFolder + " have none in 'images'")
					+ "; give both acquisitions of every scene the same name");
	}

	private static ImagePlus read(Path file, boolean asGrey) throws IOException {
		return asGrey ? grey(ImageFiles.read(file)) : ImageFiles.read(file);
	}

	/** The image named as {@code file} in {@code folder}, or null when there is none. */
	static ImagePlus sameNamed(Path folder, Path file, boolean asGrey) throws IOException {
		Path partner = folder.resolve(file.getFileName().toString());
		return Files.exists(partner) ? read(partner, asGrey) : null;
	}

	/** Whether two images have the same width, height, planes and channels per plane. */
	private static boolean sameShape(ImagePlus a, ImagePlus b) {
		return a.getWidth() == b.getWidth() && a.getHeight() == b.getHeight() && a.getStackSize() == b.getStackSize()
				&& ImagePlusImages.channelsPerPlane(a) == ImagePlusImages.channelsPerPlane(b);
	}

	static boolean samePixels(ImagePlus a, ImagePlus b) {
		for (int i = 1; i <= a.getStackSize(); i++)
			if (!ImagePlusImages.plane(a, i).equals(ImagePlusImages.plane(b, i))) return false;
		return true;
	}

	private static String shape(ImagePlus imp) {
		return imp.getWidth() + "x" + imp.getHeight() + " pixels, " + imp.getStackSize() + " plane(s)" + (imp.getType() == ImagePlus.COLOR_RGB ? ", RGB" : "");
	}

	private static IOException mixed(String firstName, int channels, Path file, int c) {
		return new IOException("Training images mix grey and RGB (" + firstName + " has " + channels + " channel(s), "
				+ file.getFileName() + " has " + c + "); train on one kind");
	}

	/** Channel {@code c} of a plane as a one-channel image. */
	private static FloatImage channel(FloatImage plane, int c) {
		return Tiling.extract(plane.channel(c), 0, 0, plane.height(), plane.width());
	}

	static boolean constant(FloatImage plane) {
		float[] d = plane.data();
		for (float v : d)
			if (v != d[0]) return false;
		return true;
	}

	/** The image files of a training folder, which must exist and hold some. */
	static List<Path> imageFiles(Path cleanFolder) throws IOException {
		if (!Files.isDirectory(cleanFolder))
			throw new IOException("Training folder not found: " + cleanFolder + "; set 'images' to the folder of training images");
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
