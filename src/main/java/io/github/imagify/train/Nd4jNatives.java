package io.github.imagify.train;

import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;

import io.github.imagify.plugin.ThirdPartyLogs;

/**
 * Loads ND4J's backend and its native libraries, or says in one line which are missing and what to install.
 * Without this, a missing native library surfaced as an ExceptionInInitializerError with a 133-line stack
 * trace at the first training step, and as "Could not initialize class" on every later attempt.
 */
public final class Nd4jNatives {

	private Nd4jNatives() {}

	/** @throws IllegalStateException one line: the platform, the missing library, what to do */
	public static void load() {
		ThirdPartyLogs.quiet(); // before ND4J's classes log their banner
		try {
			Nd4j.getExecutioner();
		} catch (LinkageError | RuntimeException e) { // ExceptionInInitializerError, UnsatisfiedLinkError, NoClassDefFoundError
			throw new IllegalStateException("Training needs ND4J's native libraries for " + platform() + ", and they cannot be loaded ("
					+ missing(e) + "); install Imagify with the natives for this platform (update-site/install-into-fiji.sh FIJI"
					+ " -Pall-platforms), or train on a 64-bit Linux, Windows or macOS machine", e);
		}
	}

	private static String platform() {
		try {
			return Loader.getPlatform();
		} catch (LinkageError | RuntimeException e) {
			return System.getProperty("os.name") + " " + System.getProperty("os.arch");
		}
	}

	/** The deepest cause's message, the one that names the library (e.g. "no jniopenblas_nolapack in java.library.path ..."). */
	static String missing(Throwable e) {
		Throwable root = e;
		while (root.getCause() != null && root.getCause() != root) root = root.getCause();
		String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
		m = m.replaceAll("\\s+", " ").trim();
		int path = m.indexOf(" in java.library.path");
		return path > 0 ? m.substring(0, path) : m.length() > 200 ? m.substring(0, 200) + "..." : m;
	}
}
