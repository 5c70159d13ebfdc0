package io.github.imagify.command;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;

import ij.ImagePlus;
import ij.macro.Interpreter;
import io.github.imagify.testing.LegacyBridge;
import io.github.imagify.testing.TestImages;

/**
 * ImageJ's real macro interpreter runs {@code run("Imagify ...", "...")} as in Fiji (through {@link LegacyBridge}:
 * the command on a SciJava thread while the macro's thread waits). A failed Imagify command must stop the macro
 * with its one-line message, as ImageJ's own commands do: before, the macro carried on with the input still the
 * active image, and the next {@code saveAs} saved the unrestored input under the output's name. Keys the command
 * does not have are refused, naming the closest valid key, instead of running with the defaults.
 */
class MacroFailureTest {

	static Context context;
	static final List<String> errors = new CopyOnWriteArrayList<>();

	@TempDir
	Path dir;

	@BeforeAll
	static void start() throws Exception {
		context = LegacyBridge.fiji(errors, "Imagify Denoise", "Imagify Evaluate");
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	@BeforeEach
	void clear() {
		errors.clear();
	}

	/** Runs {@code run(command, options)} then {@code saveAs} on the macro's active image; returns the saved file. */
	private Path runThenSave(String command, String options) {
		Path saved = dir.resolve("saved.tif");
		String macro = "run('" + command + "', '" + options + "');\nsaveAs('Tiff', '" + saved + "');\n";
		new Interpreter().runBatchMacro(macro, new ImagePlus("noisy.tif", TestImages.blobs(72, 64, 4)));
		return saved;
	}

	@Test
	void aFailedCommandStopsTheMacroWithItsOneLineMessage() {
		Path saved = runThenSave("Imagify Denoise", "model=[" + dir.resolve("no-such-model.zip") + "]");
		assertFalse(Files.exists(saved), "the macro stopped before saveAs");
		assertEquals(1, errors.size(), errors.toString());
		assertTrue(errors.get(0).startsWith("Imagify Denoise: ") && errors.get(0).contains("no-such-model.zip"), errors.get(0));
	}

	@Test
	void misspelledKeysAreRefusedWithTheClosestValidKey() {
		Path saved = runThenSave("Imagify Denoise", "tile_sise=64 modle=[x]");
		assertFalse(Files.exists(saved), "the macro stopped before saveAs");
		assertEquals(1, errors.size(), errors.toString());
		assertTrue(errors.get(0).contains("unknown keys 'tile_sise' (did you mean 'tile_size'?), 'modle' (did you mean 'model'?)"), errors.get(0));
	}

	@Test
	void aMacroWhoseCommandsSucceedRunsOn() {
		Path saved = runThenSave("Imagify Denoise", "tile_size=64 output_type=float");
		assertTrue(Files.exists(saved), "the macro went on to saveAs");
		assertEquals(List.of(), errors);
	}
}
