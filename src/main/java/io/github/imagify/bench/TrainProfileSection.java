package io.github.imagify.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a training step's time goes. Runs the train section again in a new JVM with oneDNN's own log on
 * ({@code DNNL_VERBOSE=1}, which times every primitive it executes, and {@code DNNL_VERBOSE_TIMESTAMP=1}), then sums
 * the primitives that ran during the timed steps by kind: layout reorders (libnd4j hands oneDNN plain NCHW arrays
 * and converts them to and from oneDNN's blocked layouts around every call), convolution forward / backward-data /
 * backward-weights, transposed convolution, pooling, concatenation. What is left of the step is outside oneDNN:
 * DL4J's Java side, its own native ops (activations, the loss, the Adam update) and memory management.
 * <p>
 * A second child runs the same steps with {@code -Dimagify.reuseNativeBuffers=false}, glibc's default malloc
 * thresholds, to show what {@link io.github.imagify.train.NativeBuffers} saves on the reorders.
 */
final class TrainProfileSection {

	private static final Pattern WINDOW = Pattern.compile("train: timed steps from (\\d+) to (\\d+) ms since 1970");
	private static final Pattern STEP = Pattern.compile("train: .* step median ([0-9.]+) s");

	private TrainProfileSection() {}

	static void run(int patch, int batch, int warmUp, int steps, Map<String, Double> figures, PrintStream out) throws Exception {
		Profile profile = profile(patch, batch, warmUp, steps, true);
		// the same run with glibc's default malloc thresholds: what train/NativeBuffers saves
		Profile defaults = profile(patch, batch, warmUp, steps, false);
		double stepMs = profile.stepSeconds * 1000, onednn = 0;
		for (double ms : profile.onednnMs.values()) onednn += ms;
		out.println(String.format("train_profile: batch %d of %dx%d, %d timed steps, step median %.3f s; oneDNN ran %.0f %% of it (per step, by kind):",
				batch, patch, patch, steps, profile.stepSeconds, 100 * onednn / steps / stepMs));
		profile.onednnMs.forEach((kind, ms) -> out.println(String.format("train_profile:   %-44s %6.3f s  %4.1f %%", kind, ms / steps / 1000,
				100 * ms / steps / stepMs)));
		double outside = Math.max(stepMs - onednn / steps, 0);
		out.println(String.format("train_profile:   %-44s %6.3f s  %4.1f %%", "outside oneDNN (DL4J, its own ops, Adam)", outside / 1000,
				100 * outside / stepMs));
		out.println(String.format("train_profile:   of the convolutions, Winograd kernels (oneDNN's choice): %.3f s per step", profile.winogradMs / steps / 1000));
		double reorders = profile.onednnMs.getOrDefault(Profile.REORDER, 0.0) / steps / 1000;
		double defaultReorders = defaults.onednnMs.getOrDefault(Profile.REORDER, 0.0) / steps / 1000;
		out.println(String.format("train_profile: with glibc's default malloc thresholds (-Dimagify.reuseNativeBuffers=false): step median %.3f s, "
				+ "reorders %.3f s per step (against %.3f s): reusing oneDNN's buffers makes a step %.2fx faster",
				defaults.stepSeconds, defaultReorders, reorders, defaults.stepSeconds / profile.stepSeconds));
		figures.put("train_profile_default_malloc_step_s", defaults.stepSeconds);
		figures.put("train_profile_buffer_reuse_speedup", defaults.stepSeconds / profile.stepSeconds);
		figures.put("train_profile_step_s", profile.stepSeconds);
		figures.put("train_profile_onednn_share", onednn / steps / stepMs);
		figures.put("train_profile_reorder_share", profile.onednnMs.getOrDefault(Profile.REORDER, 0.0) / steps / stepMs);
		figures.put("train_profile_winograd_share", profile.winogradMs / steps / stepMs);
	}

	/** Runs the train section in a new JVM with oneDNN's log on, and reads the log. */
	private static Profile profile(int patch, int batch, int warmUp, int steps, boolean reuseNativeBuffers) throws Exception {
		Path log = Files.createTempFile("imagify-bench-train-profile", ".log"); // kept when the run fails, for a look
		List<String> command = new ArrayList<>(List.of(
				ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()),
				"-Djava.awt.headless=true", "-Dimagify.reuseNativeBuffers=" + reuseNativeBuffers, "-cp", System.getProperty("java.class.path"),
				Benchmark.class.getName(), "sections=train", "repeats=1", "train_patch=" + patch, "train_batch=" + batch,
				"train_warmup=" + warmUp, "train_steps=" + steps));
		ProcessBuilder child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		child.environment().put("DNNL_VERBOSE", "1");
		child.environment().put("DNNL_VERBOSE_TIMESTAMP", "1");
		int code = child.start().waitFor();
		List<String> lines = Files.readAllLines(log);
		if (code != 0) throw new IOException("The profiled training run failed (exit " + code + "); its log: " + log);
		Profile profile = Profile.of(lines);
		if (profile.onednnMs.isEmpty())
			throw new IOException("The profiled training run logged no oneDNN primitive: oneDNN is not active (see the train section's oneDNN line)");
		Files.delete(log);
		return profile;
	}

	/** oneDNN's execution times summed by kind over the timed window, and the child's median step time. */
	record Profile(Map<String, Double> onednnMs, double winogradMs, double stepSeconds) {

		static final String REORDER = "layout reorders (NCHW <-> blocked)";

		static Profile of(List<String> lines) throws IOException {
			double from = -1, to = -1, step = -1;
			for (String line : lines) {
				Matcher m = WINDOW.matcher(line);
				if (from < 0 && m.find()) { // the supervised run's window: the train section times noise2void after it
					from = Double.parseDouble(m.group(1));
					to = Double.parseDouble(m.group(2));
				}
				m = STEP.matcher(line);
				if (step < 0 && m.find()) step = Double.parseDouble(m.group(1));
			}
			if (from < 0 || step < 0) throw new IOException("The profiled training run printed no timed steps");
			Map<String, Double> ms = new LinkedHashMap<>();
			for (String kind : List.of(REORDER, "convolution forward", "convolution backward (data)", "convolution backward (weights)",
					"transposed convolution (all passes)", "max pooling (all passes)", "concatenation"))
				ms.put(kind, 0.0);
			double winograd = 0;
			for (String line : lines) {
				// dnnl_verbose,<timestamp ms>,exec,cpu,<primitive>,<implementation>,<prop_kind>,...,<exec ms>
				String[] f = line.split(",");
				if (f.length < 8 || !f[0].equals("dnnl_verbose") || !f[2].equals("exec")) continue;
				double at, took;
				try {
					at = Double.parseDouble(f[1]);
					took = Double.parseDouble(f[f.length - 1]);
				} catch (NumberFormatException e) {
					continue; // a line the JVM's own output cut into
				}
				if (at <= from || at > to) continue;
				String kind = kind(f[4], f[6]);
				ms.merge(kind, took, Double::sum);
				if (f[5].contains("wino")) winograd += took;
			}
			ms.values().removeIf(v -> v == 0);
			return new Profile(ms, winograd, step);
		}

		private static String kind(String primitive, String prop) {
			return switch (primitive) {
				case "reorder" -> REORDER;
				case "convolution" -> prop.startsWith("forward") ? "convolution forward"
						: prop.equals("backward_data") ? "convolution backward (data)" : "convolution backward (weights)";
				case "deconvolution" -> "transposed convolution (all passes)";
				case "concat" -> "concatenation";
				default -> primitive.startsWith("pooling") ? "max pooling (all passes)" : primitive;
			};
		}
	}
}
