package io.github.imagify.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.imagify.bundled.BundledModels;
import io.github.imagify.model.UNetSpec;
import io.github.imagify.modelfile.ModelFile;
import io.github.imagify.modelfile.ModelInfo;
import io.github.imagify.restore.Restorer;

/**
 * Measures the bundled grey model on this machine, all figures from one run so their ratios mean something:
 * FLOPs per pixel (counted from the ONNX graph), restore throughput through Denoise's path, the FP32 SGEMM peak,
 * DL4J's forward pass on the same weights, training throughput and where a step's time goes, and the launcher's
 * start-up, with peak heap and RSS per section. Ends with one {@code BENCH key=value ...} line for comparing runs.
 * Not a test: nothing is asserted about speed.
 * <pre>
 * java -cp target/imagify.jar io.github.imagify.bench.Benchmark [size=4096] [repeats=3] [sections=restore,dl4j,train,train_profile,startup,gemm] ...
 * </pre>
 * Keys (all optional): {@code size} restore image edge; {@code repeats} timed runs per figure (medians are
 * quoted); {@code sections}; {@code tile_size}, {@code threads} as Denoise's; {@code dl4j_size} edge of the DL4J
 * vs ORT input; {@code train_patch}, {@code train_batch} (default: the bundled model's training record),
 * {@code train_warmup}, {@code train_steps}; {@code gemm_n} SGEMM edge.
 */
public final class Benchmark {

	static final List<String> SECTIONS = List.of("restore", "dl4j", "train", "train_profile", "startup", "gemm");

	private Benchmark() {}

	public static void main(String[] args) throws Exception {
		System.setProperty("java.awt.headless", "true");
		System.setProperty("slf4j.internal.verbosity", "ERROR");
		run(args, System.out);
		System.exit(0); // ND4J and ONNX Runtime leave non-daemon threads behind
	}

	/** Runs the benchmark; returns the figures of the BENCH line. */
	public static Map<String, Double> run(String[] args, PrintStream out) throws Exception {
		Map<String, String> options = options(args);
		int size = integer(options, "size", 4096), repeats = integer(options, "repeats", 3);
		List<String> sections = List.of(options.getOrDefault("sections", String.join(",", SECTIONS)).split(","));
		for (String s : sections)
			if (!SECTIONS.contains(s)) throw new IllegalArgumentException("Unknown section '" + s + "'; sections are " + SECTIONS);

		Map<String, Double> figures = new LinkedHashMap<>();
		ModelFile model = BundledModels.load(BundledModels.DEFAULT_GRAY);
		ModelInfo info = model.info();
		int trainPatch = integer(options, "train_patch", (int) TrainSection.number(info.training(), "patch_size", 64));
		int trainBatch = integer(options, "train_batch", (int) TrainSection.number(info.training(), "batch_size", 16));
		int trainWarmUp = Math.max(1, integer(options, "train_warmup", 3)), trainSteps = Math.max(1, integer(options, "train_steps", 10 * repeats));
		FlopCount count = FlopCount.of(model.onnx());
		double flops = count.flopsPerPixel();
		int cores = Runtime.getRuntime().availableProcessors();
		out.println(String.format("machine: %d cores, load average %s, Java %s, max heap %.0f MB", cores, loadAverage(),
				System.getProperty("java.version"), Runtime.getRuntime().maxMemory() / 1048576.0));
		out.println(String.format("model: %s, %s; %.0f FLOPs per input pixel in convolutions (%.0f more in bias/ReLU/pool/add)",
				info.name(), UNetSpec.fromMap(info.network()), flops, count.otherOps()));
		figures.put("cores", (double) cores);
		figures.put("load_avg", loadAverage());
		figures.put("size", (double) size);
		figures.put("repeats", (double) repeats);
		figures.put("flops_per_px", flops);

		for (String section : sections) {
			try (MemoryWatch memory = new MemoryWatch()) {
				switch (section) {
					case "restore" -> RestoreSection.run(size, integer(options, "tile_size", Restorer.DEFAULT_TILE_SIZE),
							integer(options, "threads", 0), repeats, flops, figures, out);
					case "dl4j" -> Dl4jSection.run(model, integer(options, "dl4j_size", 1024), repeats, flops, figures, out);
					case "train" -> TrainSection.run(info, trainPatch, trainBatch, trainWarmUp, trainSteps, flops, figures, out);
					case "train_profile" -> TrainProfileSection.run(trainPatch, trainBatch, trainWarmUp, trainSteps, figures, out);
					case "startup" -> StartupSection.run(repeats, figures, out);
					default -> GemmSection.run(integer(options, "gemm_n", 2048), Math.max(5, repeats), figures, out);
				}
				memory.close();
				out.println(String.format("%s: peak heap %.0f MB, peak process RSS %.0f MB", section, memory.heapPeakMb(), memory.rssPeakMb()));
				figures.put("heap_peak_mb_" + section, memory.heapPeakMb());
				figures.put("rss_peak_mb_" + section, memory.rssPeakMb());
			}
		}

		Double peak = figures.get("gemm_peak_gflops");
		ratio(figures, out, "restore_peak_ratio", figures.get("restore_gflops"), peak, "restore GFLOP/s / SGEMM peak");
		ratio(figures, out, "ort_forward_peak_ratio", figures.get("ort_forward_gflops"), peak, "ORT forward GFLOP/s / SGEMM peak");
		ratio(figures, out, "dl4j_forward_peak_ratio", figures.get("dl4j_forward_gflops"), peak, "DL4J forward GFLOP/s / SGEMM peak");
		ratio(figures, out, "train_peak_ratio", figures.get("train_gflops"), peak, "training GFLOP/s / SGEMM peak");
		if (figures.containsKey("ort_dl4j_ratio"))
			out.println(String.format("ratio: ORT / DL4J forward speed = %.2f", figures.get("ort_dl4j_ratio")));
		figures.put("load_avg_end", loadAverage());
		out.println(benchLine(figures));
		return figures;
	}

	private static void ratio(Map<String, Double> figures, PrintStream out, String key, Double a, Double b, String what) {
		if (a == null || b == null) return;
		figures.put(key, a / b);
		out.println(String.format("ratio: %s = %.3f", what, a / b));
	}

	/** The one line for comparing runs: {@code BENCH key=value ...}, whole numbers without decimals. */
	static String benchLine(Map<String, Double> figures) {
		StringBuilder line = new StringBuilder("BENCH");
		figures.forEach((k, v) -> line.append(' ').append(k).append('=').append(v == Math.rint(v) && Math.abs(v) < 1e15
				? String.valueOf(v.longValue()) : String.format(Locale.ROOT, "%.4g", v)));
		return line.toString();
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (String a : args) {
			int eq = a.indexOf('=');
			if (eq < 1) throw new IllegalArgumentException("Arguments are key=value, got '" + a + "'");
			options.put(a.substring(0, eq).trim(), a.substring(eq + 1).trim());
		}
		return options;
	}

	private static int integer(Map<String, String> options, String key, int otherwise) {
		String v = options.get(key);
		if (v == null) return otherwise;
		try {
			int n = Integer.parseInt(v);
			if (n < 0) throw new NumberFormatException();
			return n;
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException(key + " must be a whole number >= 0, got '" + v + "'");
		}
	}

	/** The 1-minute load average (how busy the machine was), or -1 where /proc/loadavg is missing. */
	private static double loadAverage() {
		try {
			return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
		} catch (Exception e) {
			return -1;
		}
	}
}
