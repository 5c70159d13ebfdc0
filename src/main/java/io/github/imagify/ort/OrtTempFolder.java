package io.github.imagify.ort;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Removes the folder ONNX Runtime unpacks its native libraries into, when the JVM exits.
 * <p>
 * ONNX Runtime 1.21 ({@code ai.onnxruntime.OnnxRuntime}) marks that folder {@code deleteOnExit} after the libraries
 * inside it. The JVM deletes in reverse order, so it tries the folder while it is still full, and every run leaves an
 * empty {@code onnxruntime-java*} folder in the temporary directory: thousands of them on a cluster node after a job
 * array. A shutdown hook runs before the JVM's own deletions. This one removes the libraries' files and then the
 * folder. Linux and macOS let a loaded library's file go; on Windows the files stay, as they did before.
 */
final class OrtTempFolder {

	private static boolean registered;

	private OrtTempFolder() {}

	/** Registers the removal once ONNX Runtime has unpacked its libraries; a no-op before that and after the first time. */
	static synchronized void removeAtExit() {
		if (registered) return;
		Path folder = unpackedInto();
		if (folder == null || !folder.getFileName().toString().startsWith("onnxruntime-java")) return;
		registered = true;
		Runtime.getRuntime().addShutdownHook(new Thread(() -> remove(folder), "imagify-onnxruntime-cleanup"));
	}

	/** ONNX Runtime's private record of the folder; null when it has none (not loaded yet, or another version). */
	private static Path unpackedInto() {
		try {
			Field field = Class.forName("ai.onnxruntime.OnnxRuntime", false, OrtTempFolder.class.getClassLoader()).getDeclaredField("tempDirectory");
			field.setAccessible(true);
			return field.get(null) instanceof Path path ? path : null;
		} catch (ReflectiveOperationException | RuntimeException e) {
			return null; // another ONNX Runtime version: leave its folder to it
		}
	}

	private static void remove(Path folder) {
		try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
			for (Path file : files) Files.deleteIfExists(file);
			Files.deleteIfExists(folder);
		} catch (IOException | RuntimeException e) {
			// gone already, or a file still in use (Windows): the JVM's own deleteOnExit tries again
		}
	}
}
