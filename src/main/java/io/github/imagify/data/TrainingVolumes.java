package io.github.imagify.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import ij.ImagePlus;
import io.github.imagify.degrade.VolumeDegradation;
import io.github.imagify.image.FloatImage;
import io.github.imagify.image.FloatVolume;
import io.github.imagify.image.Normalization;
import io.github.imagify.imagej.ImagePlusImages;
import io.github.imagify.io.ImageFiles;

/**
 * Loads Z-stacks for training a 3D model, as {@link TrainingImages} loads planes: every Z-stack of every image file
 * (each channel and each time point of a hyperstack is a volume of its own, one channel), 8/16/32-bit (32-bit may
 * hold any values, negative ones too), normalised with percentiles measured over the whole volume. Files with one
 * plane per stack and RGB files are refused.
 */
public final class TrainingVolumes {

	private TrainingVolumes() {}

	/**
	 * Every Z-stack of every image in {@code cleanFolder}. With {@code degradedFolder}, each clean image needs a
	 * degraded file of the same name and dimensions there; otherwise {@code degradation} (used once here, seeded, on
	 * the whole volume to measure the normalisation range the network will see) makes the inputs during training.
	 */
	public static List<TrainingVolume> load(Path cleanFolder, Path degradedFolder, VolumeDegradation degradation, Normalization normalization,
			long seed) throws IOException {
		List<Path> files = TrainingImages.imageFiles(cleanFolder);
		if (degradedFolder != null && !Files.isDirectory(degradedFolder))
			throw new IOException("Degraded folder not found: " + degradedFolder + "; set 'degraded' to a folder of degraded Z-stacks or leave it empty");
		if (degradedFolder == null && degradation == null) throw new IllegalArgumentException("Synthetic training needs a degradation");
		Random rng = new Random(seed);
		List<TrainingVolume> volumes = new ArrayList<>();
		for (Path file : files) {
			ImagePlus clean = readStacks(file);
			ImagePlus degraded = null;
			if (degradedFolder != null) {
				degraded = TrainingImages.sameNamed(degradedFolder, file, false);
				if (degraded == null)
					throw new IOException("Pairs mode: no degraded image named " + file.getFileName() + " in " + degradedFolder);
				if (!sameDimensions(degraded, clean) || !TrainingImages.pairable(degraded, clean))
					throw new IOException("Pairs mode: " + degradedFolder.resolve(file.getFileName()) + " (" + dimensions(degraded) + ") and " + file + " ("
							+ dimensions(clean) + ") differ in dimensions or type");
				if (TrainingImages.samePixels(degraded, clean)) // nothing to restore: the validation PSNR would be infinite
					throw new IOException("Pairs mode: " + degradedFolder.resolve(file.getFileName()) + " is the same image as " + file
							+ "; give the degraded version of each clean image");
			}
			for (int c = 1; c <= clean.getNChannels(); c++)
				for (int t = 1; t <= clean.getNFrames(); t++) {
					FloatVolume cleanVolume = ImagePlusImages.volume(clean, c, t);
					FloatVolume degradedVolume = degraded == null ? null : ImagePlusImages.volume(degraded, c, t);
					double dataRange = TrainingImages.dataRange(clean.getBitDepth(), cleanVolume.asPlanes(), normalization);
					FloatVolume probe = degradedVolume != null ? degradedVolume : degradation.apply(cleanVolume, dataRange, rng);
					volumes.add(new TrainingVolume(ImagePlusImages.volumeName(file.getFileName().toString(), clean, c, t), cleanVolume, degradedVolume,
							dataRange, normalization.measure(probe.asPlanes()), null, VoxelSize.of(clean)));
				}
		}
		return volumes;
	}

	/**
	 * Noisy Z-stacks for self-supervised training, as {@link TrainingImages#loadNoisy} loads planes: each volume its own
	 * target (Noise2Void) or, with {@code partnerFolder}, paired with the same volume of the image of the same name there
	 * (Noise2Noise), normalised with the range measured over it; with {@code cleanFolder}, each carries the same volume
	 * of the clean image of the same name as the reference that validation compares with. A constant volume (an unused
	 * channel) beside others is left out; an image whose every volume is constant is refused.
	 */
	public static List<TrainingVolume> loadNoisy(Path folder, Path partnerFolder, Path cleanFolder, Normalization normalization) throws IOException {
		List<Path> files = TrainingImages.imageFiles(folder);
		if (partnerFolder != null) TrainingImages.pairUp(folder, files, partnerFolder);
		if (cleanFolder != null && !Files.isDirectory(cleanFolder))
			throw new IOException("Clean folder not found: " + cleanFolder + "; set 'clean' to a folder of clean versions of the training stacks, or leave it empty");
		List<TrainingVolume> volumes = new ArrayList<>();
		for (Path file : files) {
			ImagePlus noisy = readStacks(file);
			ImagePlus partner = partnerFolder == null ? null : TrainingImages.sameNamed(partnerFolder, file, false);
			if (partner != null && (!sameDimensions(partner, noisy) || partner.getType() != noisy.getType()))
				throw new IOException("noise2noise: " + partnerFolder.resolve(file.getFileName()) + " (" + dimensions(partner) + ") and " + file + " ("
						+ dimensions(noisy) + ") differ in dimensions or type; they must be two acquisitions of the same scene");
			if (partner != null && TrainingImages.samePixels(partner, noisy)) // the network would learn to copy its input
				throw new IOException("noise2noise: " + partnerFolder.resolve(file.getFileName()) + " is the same image as " + file
						+ "; it needs a second acquisition of the scene, with noise of its own");
			ImagePlus reference = cleanFolder == null ? null : TrainingImages.sameNamed(cleanFolder, file, false);
			if (cleanFolder != null && reference == null)
				throw new IOException("'clean' has no image named " + file.getFileName() + " (in " + cleanFolder + "); it needs the clean version of every training stack, under the same name");
			if (reference != null && !sameDimensions(reference, noisy))
				throw new IOException("The clean image " + cleanFolder.resolve(file.getFileName()) + " (" + dimensions(reference) + ") does not match " + file + " ("
						+ dimensions(noisy) + "); it must be the clean version of that stack, of the same dimensions");
			int before = volumes.size();
			for (int c = 1; c <= noisy.getNChannels(); c++)
				for (int t = 1; t <= noisy.getNFrames(); t++) {
					FloatVolume a = ImagePlusImages.volume(noisy, c, t), b = partner == null ? a : ImagePlusImages.volume(partner, c, t);
					if (TrainingImages.constant(a.asPlanes()) || TrainingImages.constant(b.asPlanes())) continue;
					Normalization.Range range = normalization.measure(a.asPlanes());
					volumes.add(new TrainingVolume(ImagePlusImages.volumeName(file.getFileName().toString(), noisy, c, t), b, a, range.scale(), range,
							reference == null ? null : ImagePlusImages.volume(reference, c, t), VoxelSize.of(noisy)));
				}
			if (volumes.size() == before)
				throw new IOException("The training image " + file.getFileName() + " is constant" + (partner == null ? "" : " (or its noise2noise partner is)")
						+ ": there is nothing to learn from it; remove it from the folder");
		}
		return volumes;
	}

	/**
	 * Whether a 3D U-Net should pool in Z for these volumes ({@link VoxelSize#suggestPoolZ}), judged on the most
	 * anisotropic of them: pooling in Z suits none of them if it does not suit that one.
	 */
	public static VoxelSize.PoolZSuggestion suggestPoolZ(List<TrainingVolume> volumes) {
		if (volumes.isEmpty()) throw new IllegalArgumentException("No training volumes to judge the voxel size of");
		TrainingVolume most = volumes.stream().max(Comparator.comparingDouble(v -> v.voxelSize().anisotropy())).orElseThrow();
		VoxelSize.PoolZSuggestion s = most.voxelSize().suggestPoolZ();
		boolean mixed = volumes.stream().anyMatch(v -> v.voxelSize().anisotropy() != most.voxelSize().anisotropy());
		return mixed ? new VoxelSize.PoolZSuggestion(s.poolZ(), s.description() + " (" + most.name() + ", the most anisotropic of the training stacks)") : s;
	}

	/** Reads a file of Z-stacks; one plane per stack (a single image, a time series of planes) or RGB is refused. */
	private static ImagePlus readStacks(Path file) throws IOException {
		ImagePlus imp = ImageFiles.read(file);
		if (imp.getType() == ImagePlus.COLOR_RGB)
			throw new IOException(file.getFileName() + " is RGB; 3D training reads 8-, 16- or 32-bit Z-stacks: convert it to a composite of channels"
					+ " (Image > Color > Make Composite) or to grey");
		if (imp.getNSlices() < 2)
			throw new IOException(file.getFileName() + " has a single Z plane (" + dimensions(imp) + "); 3D training needs Z-stacks of at least patch_planes"
					+ " planes: give Z-stacks, check Image > Properties if its planes are Z but recorded as time points or channels, or train a 2D model");
		return imp;
	}

	private static boolean sameDimensions(ImagePlus a, ImagePlus b) {
		return a.getWidth() == b.getWidth() && a.getHeight() == b.getHeight() && a.getNChannels() == b.getNChannels() && a.getNSlices() == b.getNSlices()
				&& a.getNFrames() == b.getNFrames();
	}

	/** E.g. "128x128 pixels, 32 Z planes, 2 channels, 3 time points". */
	static String dimensions(ImagePlus imp) {
		return imp.getWidth() + "x" + imp.getHeight() + " pixels, " + imp.getNSlices() + " Z plane(s), " + imp.getNChannels() + " channel(s), " + imp.getNFrames()
				+ " time point(s)";
	}
}
