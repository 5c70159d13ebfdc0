package io.github.imagify.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.imagify.io.ImageFiles;

/**
 * Start-up: the headless launcher, in a fresh JVM, restores a 512x512 16-bit image with the bundled model; wall
 * time from process start to exit. One run first unpacks the natives (not timed). The JVM's class-loading log
 * also counts the DL4J, ND4J and JavaCPP classes it loaded: restoring needs none of them, and should load none.
 */
final class StartupSection {

	/** Packages that only training needs: their classes in a restore run mean DL4J was loaded eagerly. */
	static final List<String> TRAINING_ONLY = List.of("org.deeplearning4j.", "org.nd4j.linalg.", "org.bytedeco.");

	private StartupSection() {}

	static void run(int repeats, Map<String, Double> figures, PrintStream out) throws Exception {
		Path folder = Files.createTempDirectory("imagify-bench-startup");
		try {
			Path input = folder.resolve("noisy-512.tif");
			ImageFiles.write(Inputs.noisy16(512, 3), input);
			launch(folder, input, 0); // unpacks natives where this is the first run
			double[] seconds = new double[repeats];
			long[] classes = null;
			for (int i = 0; i < repeats; i++) {
				long start = System.nanoTime();
				classes = launch(folder, input, i + 1);
				seconds[i] = (System.nanoTime() - start) / 1e9;
			}
			double median = Measure.median(seconds);
			out.println(String.format("startup: launcher restores 512x512 16-bit in a new JVM: %s; classes loaded: %d, of them DL4J/ND4J/JavaCPP: %d",
					Measure.describe(seconds), classes[0], classes[1]));
			figures.put("startup_s", median);
			figures.put("startup_classes", (double) classes[0]);
			figures.put("startup_dl4j_classes", (double) classes[1]);
		} finally {
			try (Stream<Path> files = Files.walk(folder)) {
				for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
			}
		}
	}

	/** Runs the launcher once; returns how many classes it loaded, and how many of them were training-only. */
	private static long[] launch(Path folder, Path input, int run) throws IOException, InterruptedException {
		Path classLog = folder.resolve("classes-" + run + ".log"), output = folder.resolve("restored-" + run + ".tif");
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
		command.addAll(List.of("-Xlog:class+load=info:file=" + classLog, "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
				"io.github.imagify.cli.Main", "--run", "Imagify Denoise", "input='" + input + "',output='" + output + "'"));
		Path log = folder.resolve("launcher-" + run + ".log");
		int code = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start().waitFor();
		if (code != 0 || !Files.isRegularFile(output))
			throw new IOException("The launcher failed (exit " + code + "): " + Files.readString(log).strip());
		List<String> loaded;
		try (Stream<String> lines = Files.lines(classLog)) {
			loaded = lines.filter(l -> l.contains("class,load")).toList();
		}
		return new long[] { loaded.size(), loaded.stream().filter(l -> TRAINING_ONLY.stream().anyMatch(p -> l.contains(" " + p))).count() };
	}
}
