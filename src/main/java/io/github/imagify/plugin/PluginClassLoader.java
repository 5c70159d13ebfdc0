package io.github.imagify.plugin;

/**
 * Runs code with Imagify's own class loader as the thread's context class loader. ND4J finds its backend and DJL
 * its engines with ServiceLoader on the context class loader; under Fiji's plugin class loader that loader does not
 * see Imagify's jars, so whatever creates a DL4J network or starts ONNX Runtime runs inside {@link #asContext}.
 */
public final class PluginClassLoader {

	private PluginClassLoader() {}

	/** What runs with the class loader swapped: a result, or one of the exceptions {@code E}. */
	@FunctionalInterface
	public interface Action<T, E extends Exception> {
		T run() throws E;
	}

	/** Runs {@code action} with this class's loader as the context class loader, and restores the previous one after it. */
	public static <T, E extends Exception> T asContext(Action<T, E> action) throws E {
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		thread.setContextClassLoader(PluginClassLoader.class.getClassLoader());
		try {
			return action.run();
		} finally {
			thread.setContextClassLoader(previous);
		}
	}
}
