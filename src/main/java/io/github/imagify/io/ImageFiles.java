package io.github.imagify.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;

/** Reading and atomically writing image files with ImageJ's own readers and writers. */
public final class ImageFiles {

	/** Extensions treated as images when a folder is given. */
	public static final Set<String> IMAGE_EXTENSIONS = Set.of(".tif", ".tiff", ".png", ".jpg", ".jpeg", ".gif", ".bmp");
	/** Formats that hold 32-bit float pixels; others get the result at the input's bit depth. */
	public static final Set<String> FLOAT_EXTENSIONS = Set.of(".tif", ".tiff");

	private ImageFiles() {}

	public static ImagePlus read(Path path) throws IOException {
		if (!Files.exists(path)) throw new NoSuchFileException(path.toString(), null, "image not found; check the path");
		if (!Files.isRegularFile(path) || !Files.isReadable(path))
			throw new IOException("Cannot read " + path + ": not a readable file");
		if (TiffDirectories.isTiff(head(path))) return TiffFiles.read(path);
		ImageHeaders.check(path); // ImageJ believes the header: refuse impossible sizes before it allocates them
		ImagePlus imp;
		try {
			imp = new Opener().openImage(path.toAbsolutePath().toString());
		} catch (RuntimeException e) {
			imp = null;
		}
		if (imp == null || imp.getWidth() < 1 || imp.getHeight() < 1 || imp.getStack().getPixels(1) == null)
			throw new IOException("Cannot read " + path + ": not an image ImageJ can open (damaged, truncated or unsupported format); use TIFF, PNG or JPEG");
		return imp;
	}

	private static byte[] head(Path path) throws IOException {
		try (InputStream in = Files.newInputStream(path)) {
			return in.readNBytes(4);
		}
	}

	/** Writes in the format of the extension (TIFF, PNG, JPEG, GIF, BMP), atomically. */
	public static void write(ImagePlus imp, Path path) throws IOException {
		String ext = AtomicFiles.extension(path.getFileName().toString());
		if (!IMAGE_EXTENSIONS.contains(ext))
			throw new IOException("Cannot write " + path + ": unknown image extension '" + ext + "'; use .tif, .png or .jpg");
		AtomicFiles.write(path, temp -> {
			FileSaver saver = new FileSaver(imp);
			String t = temp.toString();
			boolean ok = switch (ext) {
				case ".tif", ".tiff" -> imp.getStackSize() > 1 ? saver.saveAsTiffStack(t) : saver.saveAsTiff(t);
				case ".png" -> saver.saveAsPng(t);
				case ".jpg", ".jpeg" -> saver.saveAsJpeg(t);
				case ".gif" -> saver.saveAsGif(t);
				default -> saver.saveAsBmp(t);
			};
			if (!ok || Files.size(temp) == 0) throw new IOException("Could not write " + path + " (disk full or not writable?)");
		});
	}

	/** Image files directly inside a folder, sorted by name. */
	public static List<Path> listImages(Path folder) throws IOException {
		try (Stream<Path> s = Files.list(folder)) {
			return s.filter(Files::isRegularFile)
					.filter(p -> !p.getFileName().toString().startsWith("."))
					.filter(p -> IMAGE_EXTENSIONS.contains(AtomicFiles.extension(p.getFileName().toString())))
					.sorted().toList();
		}
	}

	public static boolean holdsFloat(Path path) {
		return FLOAT_EXTENSIONS.contains(AtomicFiles.extension(path.getFileName().toString().toLowerCase(Locale.ROOT)));
	}
}
