package io.github.imagify.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.testing.ChildJvm;
import io.github.imagify.testing.TestImages;

/**
 * The log of a normal restore and of a normal training run holds Imagify's own lines only, with an SLF4J
 * provider at INFO as in Fiji (logback, configured by logback-fiji.xml): before, every restore printed DJL's
 * "Onnx extension not found in classpath." (twice for RGB) and, on machines with a GPU driver, "CUDA is not
 * supported", and training ND4J's banner. Without ND4J's natives, training ends in one line that says so.
 */
class LogNoiseTest {

	@TempDir
	Path dir;

	@Test
	void aRestoreAndATrainingRunLogImagifysLinesOnly() throws Exception {
		Path rgb = dir.resolve("rgb.png"), clean = Files.createDirectory(dir.resolve("clean"));
		ImageFiles.write(new ImagePlus("rgb", TestImages.rgb(96, 80, 1)), rgb);
		ImageFiles.write(new ImagePlus("a", TestImages.blobs(64, 64, 2)), clean.resolve("a.png"));
		List<String> restore = run(List.of(), "Imagify Denoise", "input='" + rgb + "',output='" + dir.resolve("out.tif") + "'");
		assertTrue(restore.stream().anyMatch(l -> l.contains("Restored")), String.join("\n", restore));
		List<String> train = run(List.of(), "Imagify Train", "images='" + clean + "',model_out='" + dir.resolve("m.zip")
				+ "',epochs=1,steps_per_epoch=2,batch_size=2,patch_size=32,depth=1,base_filters=4");
		assertTrue(train.stream().anyMatch(l -> l.contains("wrote")), String.join("\n", train));
		List<String> foreign = new ArrayList<>();
		for (String line : concat(restore, train))
			if (!line.matches("\\[(INFO|WARNING)\\] Imagify (Denoise|Train): .*")) foreign.add(line);
		assertTrue(foreign.isEmpty(), "lines that are not Imagify's:\n" + String.join("\n", foreign));
		// Evaluate restores through the same model choice as Denoise, and logs under its own name (it said "Imagify Denoise:")
		List<String> evaluate = run(List.of(), "Imagify Evaluate", "images='" + clean + "',noise_sigma=25");
		assertTrue(evaluate.stream().anyMatch(l -> l.contains("model 'denoise-gray'")), String.join("\n", evaluate));
		assertTrue(evaluate.stream().allMatch(l -> l.startsWith("[INFO] Imagify Evaluate: ")), String.join("\n", evaluate));
	}

	@Test
	void trainingWithoutNativesEndsInOneLine() throws Exception {
		Path clean = Files.createDirectory(dir.resolve("clean"));
		ImageFiles.write(new ImagePlus("a", TestImages.blobs(64, 64, 2)), clean.resolve("a.png"));
		// JavaCPP looks for another platform's natives, which are not on the class path: as on a machine Imagify has none for
		List<String> lines = run(List.of("-Dorg.bytedeco.javacpp.platform=linux-arm64"), "Imagify Train",
				"images='" + clean + "',model_out='" + dir.resolve("m.zip") + "',epochs=1,steps_per_epoch=1,batch_size=2,patch_size=32");
		List<String> errors = lines.stream().filter(l -> !l.startsWith("[INFO] ")).toList();
		assertEquals(1, errors.size(), String.join("\n", lines));
		assertTrue(errors.get(0).matches("\\[ERROR\\] Imagify Train: Training needs ND4J's native libraries for linux-arm64.*jniopenblas.*install.*"),
				errors.get(0));
		assertFalse(Files.exists(dir.resolve("m.zip")));
	}

	/** The launcher in a child JVM with logback at INFO; its output, line by line. */
	private List<String> run(List<String> jvmOptions, String command, String keys) throws Exception {
		List<String> cmd = new ArrayList<>(ChildJvm.command(Main.class.getName(), "--run", command, keys));
		cmd.add(1, "-Dlogback.configurationFile=" + Path.of(getClass().getResource("/logback-fiji.xml").toURI()));
		cmd.addAll(1, jvmOptions);
		Path log = dir.resolve("log-" + System.nanoTime() + ".txt");
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the launcher finishes");
		return Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
	}

	private static List<String> concat(List<String> a, List<String> b) {
		List<String> all = new ArrayList<>(a);
		all.addAll(b);
		return all;
	}
}
