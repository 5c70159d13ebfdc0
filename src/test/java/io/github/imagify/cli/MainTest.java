package io.github.imagify.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.testing.ChildJvm;
import io.github.imagify.testing.TestImages;

/** The launcher with Fiji's --run syntax: exit codes and files on disk. */
class MainTest {

	@TempDir
	Path dir;

	@Test
	void restoresAFolderWithTheBundledModel() throws Exception {
		Path in = Files.createDirectory(dir.resolve("in"));
		ImageFiles.write(new ImagePlus("a", TestImages.blobs(60, 56, 1)), in.resolve("a.png"));
		ImageFiles.write(new ImagePlus("b", TestImages.rgb(60, 56, 2)), in.resolve("b.tif"));
		Path out = dir.resolve("out");
		int code = Main.run(new String[] { "--run", "Imagify Denoise", "input='" + in + "',output='" + out + "'" });
		assertEquals(0, code);
		assertEquals(8, ImageFiles.read(out.resolve("a.png")).getBitDepth());
		assertEquals(ImagePlus.COLOR_RGB, ImageFiles.read(out.resolve("b.tif")).getType());
	}

	/** ensemble=8 reaches the restore: the result of a mirrored image is the mirrored result, which one pass is not. */
	@Test
	void theEnsembleKeyMakesTheRestoreMirrorSymmetric() throws Exception {
		Path in = Files.createDirectory(dir.resolve("in"));
		ImagePlus image = new ImagePlus("a", TestImages.blobs(64, 64, 3));
		ImageFiles.write(image, in.resolve("a.tif"));
		ImagePlus mirrored = image.duplicate();
		mirrored.getProcessor().flipHorizontal();
		ImageFiles.write(mirrored, in.resolve("mirrored.tif"));
		double[] worst = new double[2];
		for (int i = 0; i < 2; i++) {
			String ensemble = i == 0 ? "1" : "8";
			Path out = dir.resolve("out" + ensemble);
			assertEquals(0, Main.run(new String[] { "--run", "Imagify Denoise", "input='" + in + "',output='" + out + "',ensemble=" + ensemble }));
			ij.process.ImageProcessor a = ImageFiles.read(out.resolve("a.tif")).getProcessor(), m = ImageFiles.read(out.resolve("mirrored.tif")).getProcessor();
			m.flipHorizontal();
			for (int p = 0; p < a.getPixelCount(); p++) worst[i] = Math.max(worst[i], Math.abs(a.getf(p) - m.getf(p)));
		}
		assertTrue(worst[0] > 0.05, "one pass of the bundled model came out mirror-symmetric: " + worst[0]);
		assertTrue(worst[1] < 0.01, "ensemble=8 is not mirror-symmetric: " + worst[1]);
	}

	/** ONNX Runtime unpacks its libraries into the temporary directory; a run leaves no folder of them behind. */
	@Test
	void aRestoreLeavesNothingInTheTemporaryDirectory() throws Exception {
		Path tmp = Files.createDirectory(dir.resolve("tmp"));
		ImageFiles.write(new ImagePlus("a", TestImages.blobs(64, 64, 3)), dir.resolve("a.png"));
		List<String> command = new ArrayList<>(ChildJvm.command("io.github.imagify.cli.Main", "--run", "Imagify Denoise",
				"input='" + dir.resolve("a.png") + "',output='" + dir.resolve("a_restored.tif") + "'"));
		command.add(1, "-Djava.io.tmpdir=" + tmp);
		Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
		assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the restore finishes");
		assertEquals(0, child.exitValue(), Files.readString(dir.resolve("log.txt")));
		assertTrue(Files.exists(dir.resolve("a_restored.tif")));
		try (Stream<Path> left = Files.list(tmp)) {
			assertEquals(List.of(), left.map(p -> p.getFileName().toString()).toList(), "left in java.io.tmpdir");
		}
	}

	@Test
	void failuresExitNonZero() {
		assertEquals(1, Main.run(new String[] { "--run", "Imagify Denoise", "input='" + dir.resolve("missing.tif") + "',output='" + dir.resolve("o.tif") + "'" }));
		assertEquals(2, Main.run(new String[] { "--run", "No Such Command", "" }));
		assertEquals(2, Main.run(new String[] { "--run", "Imagify Denoise", "imput='x'" }));
		assertEquals(2, Main.run(new String[] { "--frobnicate" }));
		assertEquals(2, Main.run(new String[] { "--run", "Imagify Denoise", "input='a.tif',output='b.tif',tile_size='abc'" }));
		assertEquals(2, Main.run(new String[] { "--run", "Imagify Train", "images='a',model_out='b.zip',direct='maybe'" }));
		assertFalse(Files.exists(dir.resolve("o.tif")));
	}
}
