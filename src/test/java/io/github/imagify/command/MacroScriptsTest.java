package io.github.imagify.command;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;

import ij.ImagePlus;
import ij.macro.Interpreter;
import ij.process.FloatProcessor;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.testing.LegacyBridge;
import io.github.imagify.testing.TestImages;

/**
 * The scripts in macros/ run in ImageJ's real macro interpreter with their documented arguments, in batch mode as
 * {@code ImageJ-linux64 --headless -batch macros/<script>.ijm "<arguments>"} runs them, the commands reached as Fiji's
 * legacy layer reaches them ({@link LegacyBridge}).
 */
class MacroScriptsTest {

	static Context context;
	static final List<String> errors = new CopyOnWriteArrayList<>();

	@TempDir
	Path dir;

	@BeforeAll
	static void start() throws Exception {
		context = LegacyBridge.fiji(errors, "Imagify Train", "Imagify Denoise");
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	@Test
	void trainSelfSupervisedTrainsOnANoisyFolderAndRestoresIt() throws Exception {
		Path noisy = Files.createDirectory(dir.resolve("noisy")), model = dir.resolve("self-supervised.zip"), out = dir.resolve("restored");
		ij.process.ImageProcessor.setRandomSeed(5);
		for (int i = 0; i < 2; i++) {
			FloatProcessor image = (FloatProcessor) TestImages.blobs(96, 80, i).convertToFloat();
			image.noise(20);
			ImageFiles.write(new ImagePlus("noisy" + i, image), noisy.resolve("noisy" + i + ".tif"));
		}
		String script = Files.readString(Path.of("macros/train_self_supervised.ijm"));
		new Interpreter().run("setBatchMode(true);\n" + script, noisy + "," + model + "," + out + ",1");
		assertEquals(List.of(), errors);
		assertTrue(Files.isRegularFile(model), "the model was written");
		assertEquals("neighbor2neighbor", io.github.imagify.modelfile.ModelFile.read(model).info().training().get("method"));
		for (int i = 0; i < 2; i++) {
			ImagePlus restored = ImageFiles.read(out.resolve("noisy" + i + ".tif"));
			assertEquals(96, restored.getWidth());
		}
	}

	/**
	 * train_3d.ijm: noise2void in 3D on a folder of noisy 16-bit Z-stacks (calibrated, so the log says whether it pools
	 * in Z), then every stack restored as a volume, with its dimensions and calibration.
	 */
	@Test
	void train3dTrainsOnNoisyStacksAndRestoresThem() throws Exception {
		Path noisy = Files.createDirectory(dir.resolve("stacks")), model = dir.resolve("3d.zip"), out = dir.resolve("restored");
		for (int i = 0; i < 2; i++)
			io.github.imagify.testing.TestVolumes.write(io.github.imagify.testing.TestVolumes.filamentsAndBlobs(
					io.github.imagify.testing.TestVolumes.Spec.of(i).withSize(16, 40, 40)).noisy(), noisy.resolve("stack" + i + ".tif"), 16);
		String script = Files.readString(Path.of("macros/train_3d.ijm"));
		new Interpreter().run("setBatchMode(true);\n" + script, noisy + "," + model + "," + out + ",1");
		assertEquals(List.of(), errors);
		io.github.imagify.modelfile.ModelFile file = io.github.imagify.modelfile.ModelFile.read(model);
		assertTrue(file.info().is3d());
		assertEquals("noise2void", file.info().training().get("method"));
		for (int i = 0; i < 2; i++) {
			ImagePlus restored = ImageFiles.read(out.resolve("stack" + i + ".tif"));
			assertEquals(16, restored.getNSlices());
			assertEquals(40, restored.getWidth());
			assertEquals(0.3, restored.getCalibration().pixelDepth, 1e-9);
		}
	}
}
