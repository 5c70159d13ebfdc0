package io.github.imagify.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts the launcher (or another main class) in a separate JVM with the test class path, for kill and crash tests. */
public final class ChildJvm {

	private ChildJvm() {}

	/** The command line: this JVM's java, its class path, a heap limit, the main class and its arguments. */
	public static List<String> command(String mainClass, String... args) {
		return commandWithHeap("1g", mainClass, args);
	}

	/** As {@link #command(String, String...)} with the heap limit {@code -Xmx<heap>}. */
	public static List<String> commandWithHeap(String heap, String mainClass, String... args) {
		List<String> cmd = new ArrayList<>();
		cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
		cmd.add("-Xmx" + heap);
		cmd.add("-Djava.awt.headless=true");
		cmd.add("-cp");
		cmd.add(System.getProperty("java.class.path"));
		cmd.add(mainClass);
		cmd.addAll(List.of(args));
		return cmd;
	}

	/** Runs the Imagify launcher with {@code --run name keys}; stdout and stderr go to {@code log}. */
	public static Process launch(Path log, String commandName, String keys) throws IOException {
		return new ProcessBuilder(command("io.github.imagify.cli.Main", "--run", commandName, keys))
				.redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}
}
