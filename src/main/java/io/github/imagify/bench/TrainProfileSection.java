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
 * The same log gives the 3D U-Net's step, which the train section times last (batch 4 of 16x32x32 voxels): its 3D
 * convolutions, pooling, transposed convolutions and skip concatenations are oneDNN primitives too (oneDNN has no
 * Winograd kernels for 3D).
 * <p>
 * A second child runs the same steps with {@code -Dimagify.reuseNativeBuffers=false}, glibc's default malloc
 * thresholds, to show what {@link io.github.imagify.train.NativeBuffers} saves on the reorders.
 */
final class TrainProfileSection {

	private static final Pattern WINDOW = Pattern.compile("train: timed steps from (\\d+) to (\\d+) ms since 1970");
	private static final Pattern STEP = Pattern.compile("train: .* step median ([0-9.]+) s");
	private static final Pattern VOLUME_SHAPE = Pattern.compile("(^|_)id\\d+od\\d+");
	private static final Pattern STEP_3D = Pattern.compile("train: 3D U-Net.* step median ([0-9.]+) s");

	private TrainProfileSection() {}

	static void run(int patch, int batch, int warmUp, int steps, Map<String, Double> figures, PrintStream out) throws Exception {
		List<String> log = log(patch, batch, warmUp, steps, true);
		Profile profile = Profile.of(log, false);
		// the same run with glibc's default malloc thresholds: what train/NativeBuffers saves
		Profile defaults = Profile.of(log(patch, batch, warmUp, steps, false), false);
		double onednn = print(profile, String.format("batch %d of %dx%d", batch, patch, patch), steps, out);
		double reorders = profile.onednnMs.getOrDefault(Profile.REORDER, 0.0) / steps / 1000;
		double defaultReorders = defaults.onednnMs.getOrDefault(Profile.REORDER, 0.0) / steps / 1000;
		out.println(String.format("train_profile: with glibc's default malloc thresholds (-Dimagify.reuseNativeBuffers=false): step median %.3f s, "
				+ "reorders %.3f s per step (against %.3f s): reusing oneDNN's buffers makes a step %.2fx faster",
				defaults.stepSeconds, defaultReorders, reorders, defaults.stepSeconds / profile.stepSeconds));
		figures.put("train_profile_default_malloc_step_s", defaults.stepSeconds);
		figures.put("train_profile_buffer_reuse_speedup", defaults.stepSeconds / profile.stepSeconds);
		figures.put("train_profile_step_s", profile.stepSeconds);
		figures.put("train_profile_onednn_share", onednn / steps / (profile.stepSeconds * 1000));
		figures.put("train_profile_reorder_share", profile.share(Profile.REORDER, steps));
		figures.put("train_profile_winograd_share", profile.winogradMs / steps / (profile.stepSeconds * 1000));
		Profile volume = Profile.of(log, true);
		double volumeOnednn = print(volume, String.format("3D U-Net, batch %d of %dx%dx%d", TrainSection.VOLUME_BATCH, TrainSection.VOLUME_PLANES,
				TrainSection.VOLUME_PATCH, TrainSection.VOLUME_PATCH), steps, out);
		figures.put("train_profile_3d_step_s", volume.stepSeconds);
		figures.put("train_profile_3d_onednn_share", volumeOnednn / steps / (volume.stepSeconds * 1000));
		figures.put("train_profile_3d_convolution_share", volume.share("convolution", steps));
		figures.put("train_profile_3d_volume_convolution_calls", (double) volume.volumeConvolutions);
		figures.put("train_profile_3d_convolution_calls", (double) volume.convolutions);
		figures.put("train_profile_volume_convolution_calls", (double) profile.volumeConvolutions);
	}

	/** Prints where one step's time goes, by kind of oneDNN primitive and outside oneDNN; returns oneDNN's milliseconds. */
	private static double print(Profile profile, String shape, int steps, PrintStream out) {
		double stepMs = profile.stepSeconds * 1000, onednn = 0;
		for (double ms : profile.onednnMs.values()) onednn += ms;
		out.println(String.format("train_profile: %s, %d timed steps, step median %.3f s; oneDNN ran %.0f %% of it (per step, by kind):",
				shape, steps, profile.stepSeconds, 100 * onednn / steps / stepMs));
		profile.onednnMs.forEach((kind, ms) -> out.println(String.format("train_profile:   %-44s %6.3f s  %4.1f %%", kind, ms / steps / 1000,
				100 * ms / steps / stepMs)));
		double outside = Math.max(stepMs - onednn / steps, 0);
		out.println(String.format("train_profile:   %-44s %6.3f s  %4.1f %%", "outside oneDNN (DL4J, its own ops, Adam)", outside / 1000,
				100 * outside / stepMs));
		out.println(String.format("train_profile:   of the convolutions, Winograd kernels (oneDNN's choice): %.3f s per step; %d of %d convolution calls 3D",
				profile.winogradMs / steps / 1000, profile.volumeConvolutions, profile.convolutions));
		return onednn;
	}

	/** Runs the train section in a new JVM with oneDNN's log on, and returns the log. */
	private static List<String> log(int patch, int batch, int warmUp, int steps, boolean reuseNativeBuffers) throws Exception {
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
		if (lines.stream().noneMatch(line -> line.startsWith("dnnl_verbose,")))
			throw new IOException("The profiled training run logged no oneDNN primitive: oneDNN is not active (see the train section's oneDNN line)");
		Files.delete(log);
		return lines;
	}

	/** oneDNN's execution times summed by kind over the timed window, and the child's median step time. */
	record Profile(Map<String, Double> onednnMs, double winogradMs, double stepSeconds, int convolutions, int volumeConvolutions) {

		static final String REORDER = "layout reorders (NCHW <-> blocked)";

		/**
		 * The supervised 2D step (the train section's first timed window), or the 3D U-Net's ({@code volume}: its
		 * last, after noise2void's and neighbor2neighbor's).
		 */
		static Profile of(List<String> lines, boolean volume) throws IOException {
			double from = -1, to = -1, step = -1;
			for (String line : lines) {
				Matcher m = WINDOW.matcher(line);
				if ((volume || from < 0) && m.find()) {
					from = Double.parseDouble(m.group(1));
					to = Double.parseDouble(m.group(2));
				}
				m = (volume ? STEP_3D : STEP).matcher(line);
				if (step < 0 && m.find()) step = Double.parseDouble(m.group(1));
			}
			if (from < 0 || step < 0) throw new IOException("The profiled training run printed no timed " + (volume ? "3D " : "") + "steps");
			Map<String, Double> ms = new LinkedHashMap<>();
			for (String kind : List.of(REORDER, "convolution forward", "convolution backward (data)", "convolution backward (weights)",
					"transposed convolution (all passes)", "max pooling (all passes)", "concatenation"))
				ms.put(kind, 0.0);
			double winograd = 0;
			int convolutions = 0, volumeConvolutions = 0;
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
				if (f[4].endsWith("convolution")) {
					convolutions++;
					// the problem's shape, e.g. mb4_ic16oc16_id16od16kd3..._ih32..., has an input depth in 3D only
					if (VOLUME_SHAPE.matcher(f[f.length - 2]).find()) volumeConvolutions++;
				}
			}
			ms.values().removeIf(v -> v == 0);
			return new Profile(ms, winograd, step, convolutions, volumeConvolutions);
		}

		/** The share of a step that the kinds whose names start with {@code kind} took. */
		double share(String kind, int steps) {
			double ms = 0;
			for (Map.Entry<String, Double> e : onednnMs.entrySet()) if (e.getKey().startsWith(kind)) ms += e.getValue();
			return ms / steps / (stepSeconds * 1000);
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
