package io.github.imagify.imagej;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ij.ImagePlus;
import io.github.imagify.io.ImageFiles;

/**
 * Noise2Void's habit in Fiji, "train on this image": when Train is given no folder, the open noisy image (every plane
 * of its stack or hyperstack) is what it learns from. Training reads folders, so the image is copied as a TIFF, its
 * pixels and bit depth unchanged, into {@code <model_out>.images/}, which the model file then names; the copy is
 * rewritten each run, so a resumed run trains on the image open now.
 */
public final class ActiveImageTraining {

	private ActiveImageTraining() {}

	/** Writes {@code image} into the training folder of {@code modelOut}, replacing what an earlier run left there; returns the folder. */
	public static Path trainingFolder(ImagePlus image, Path modelOut) throws IOException {
		Path folder = modelOut.toAbsolutePath().resolveSibling(modelOut.getFileName() + ".images");
		Files.createDirectories(folder);
		String name = fileName(image.getTitle());
		try (var old = Files.list(folder)) {
			for (Path p : old.toList())
				if (!p.getFileName().toString().equals(name)) Files.deleteIfExists(p);
		}
		ImageFiles.write(image, folder.resolve(name));
		return folder;
	}

	/** The image's title as a TIFF name: its extension dropped, characters a file system may refuse replaced. */
	static String fileName(String title) {
		String base = title == null || title.isBlank() ? "image" : title.strip();
		int dot = base.lastIndexOf('.');
		if (dot > 0) base = base.substring(0, dot);
		return base.replaceAll("[^A-Za-z0-9._ -]", "_") + ".tif";
	}
}
