package io.github.imagify.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The benchmark runs end to end at toy sizes and prints its BENCH line. Structure only: no timing is asserted. */
class BenchmarkSmokeTest {

	@Test
	void printsOneBenchLineWithFiniteFigures() throws Exception {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		Map<String, Double> figures = Benchmark.run(new String[] { "size=128", "repeats=1", "sections=restore,gemm", "gemm_n=128" },
				new PrintStream(bytes, true, StandardCharsets.UTF_8));
		String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\n");
		String last = lines[lines.length - 1];
		assertTrue(last.startsWith("BENCH "), last);
		for (String key : List.of("flops_per_px", "flops_per_px_tiled", "restore_mpx_s", "restore_gflops", "gemm_peak_gflops",
				"restore_peak_ratio", "heap_peak_mb_restore", "rss_peak_mb_restore", "cores", "size")) {
			assertTrue(last.contains(" " + key + "="), key + " missing from " + last);
			assertTrue(Double.isFinite(figures.get(key)) && figures.get(key) > 0, key + " = " + figures.get(key));
		}
	}

	/** Restoring must not load DL4J, ND4J or JavaCPP: the launcher's JVM logs every class it loads. */
	@Test
	void launcherRestoresWithoutLoadingDl4j() throws Exception {
		Map<String, Double> figures = Benchmark.run(new String[] { "repeats=1", "sections=startup" },
				new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
		assertTrue(figures.get("startup_s") > 0);
		assertTrue(figures.get("startup_classes") > 1000, "the class-loading log was read: " + figures.get("startup_classes"));
		assertEquals(0, figures.get("startup_dl4j_classes"), "DL4J/ND4J/JavaCPP classes loaded by a restore");
	}

	/** The training profile reads oneDNN's own log: convolutions and layout reorders must show up in the timed steps. */
	@Test
	void profilesATrainingStepFromOneDnnsLog() throws Exception {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		Map<String, Double> figures = Benchmark.run(new String[] { "repeats=1", "sections=train_profile", "train_patch=32", "train_batch=2",
				"train_warmup=1", "train_steps=2" }, new PrintStream(bytes, true, StandardCharsets.UTF_8));
		String printed = bytes.toString(StandardCharsets.UTF_8);
		assertTrue(printed.contains("convolution forward") && printed.contains("convolution backward (weights)"), printed);
		double onednn = figures.get("train_profile_onednn_share"), reorders = figures.get("train_profile_reorder_share");
		assertTrue(onednn > 0 && onednn < 1.5, "oneDNN share of a step " + onednn);
		assertTrue(reorders > 0 && reorders < onednn, "reorder share " + reorders + " of oneDNN's " + onednn);
		assertTrue(figures.get("train_profile_step_s") > 0);
		// the train section measures noise2void's step beside the supervised one, same shape, same run
		Map<String, Double> train = Benchmark.run(new String[] { "repeats=1", "sections=train", "train_patch=32", "train_batch=2",
				"train_warmup=1", "train_steps=2" }, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
		assertTrue(train.get("train_step_s") > 0 && train.get("train_n2v_step_s") > 0, train.toString());
		assertEquals(train.get("train_n2v_step_s") / train.get("train_step_s"), train.get("train_n2v_step_ratio"), 1e-9);
		assertTrue(figures.get("train_profile_default_malloc_step_s") > 0, "the run with glibc's defaults is measured too");
		assertTrue(printed.contains("with glibc's default malloc thresholds"), printed);
		// the 3D U-Net's step from the same log: its 3D convolutions are oneDNN's, and take part of its step
		assertTrue(printed.contains("train_profile: 3D U-Net"), printed);
		double volumeConvolutions = figures.get("train_profile_3d_convolution_share");
		assertTrue(volumeConvolutions > 0 && volumeConvolutions <= figures.get("train_profile_3d_onednn_share"), figures.toString());
		assertTrue(figures.get("train_profile_3d_step_s") > 0);
		// oneDNN runs the 3D step's convolutions as 3D ones, and the 2D step's as 2D
		assertEquals(figures.get("train_profile_3d_convolution_calls"), figures.get("train_profile_3d_volume_convolution_calls"), figures.toString());
		assertTrue(figures.get("train_profile_3d_convolution_calls") > 0);
		assertEquals(0, figures.get("train_profile_volume_convolution_calls"), figures.toString());
	}
}
