package io.github.imagify.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that readers (and a crash) only ever see the old file or the complete new one:
 * the content goes to a temporary file beside the target, is flushed, then moved over it.
 */
public final class AtomicFiles {

	/** Writes the content of a file at the given (temporary) path. */
	@FunctionalInterface
	public interface Writer {
		void writeTo(Path temporary) throws IOException;
	}

	private AtomicFiles() {}

	public static void write(Path target, Writer writer) throws IOException {
		Path dir = target.toAbsolutePath().getParent();
		if (dir == null || !Files.isDirectory(dir))
			throw new IOException("Output folder does not exist: " + dir + "; create it first");
		String name = target.getFileName().toString();
		// keep the extension last: ImageJ's savers pick the format from it
		Path temp = Files.createTempFile(dir, "." + name + ".", ".part" + extension(name));
		try {
			writer.writeTo(temp);
			keepPermissions(target, temp);
			try (var channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
				channel.force(true);
			}
			try {
				Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			} catch (AtomicMoveNotSupportedException e) {
				Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
			}
		} finally {
			Files.deleteIfExists(temp);
		}
	}

	/** Temporary files are private (0600); the result should be readable like any other file, or like the one it replaces. */
	private static void keepPermissions(Path target, Path temp) throws IOException {
		if (!temp.getFileSystem().supportedFileAttributeViews().contains("posix")) return;
		Files.setPosixFilePermissions(temp, Files.exists(target) ? Files.getPosixFilePermissions(target)
				: java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
	}

	public static void write(Path target, byte[] content) throws IOException {
		write(target, temp -> Files.write(temp, content));
	}

	/**
	 * Removes temporary files that a killed writer of {@code target} left behind (".name.123.part.ext"), so that
	 * a rerun leaves a clean folder. Only for a target no other process is writing now.
	 */
	public static int removeLeftovers(Path target) throws IOException {
		Path dir = target.toAbsolutePath().getParent();
		if (dir == null || !Files.isDirectory(dir)) return 0;
		String name = target.getFileName().toString();
		String prefix = "." + name + ".", suffix = ".part" + extension(name);
		int removed = 0;
		try (var files = Files.list(dir)) {
			for (Path p : (Iterable<Path>) files::iterator) {
				String n = p.getFileName().toString();
				if (n.length() > prefix.length() + suffix.length() && n.startsWith(prefix) && n.endsWith(suffix)
						&& n.substring(prefix.length(), n.length() - suffix.length()).matches("\\d+") && Files.deleteIfExists(p))
					removed++;
			}
		}
		return removed;
	}

	/** ".tif" for "a.b.tif"; "" without an extension. */
	public static String extension(String fileName) {
		int dot = fileName.lastIndexOf('.');
		return dot <= 0 ? "" : fileName.substring(dot).toLowerCase(java.util.Locale.ROOT);
	}
}
