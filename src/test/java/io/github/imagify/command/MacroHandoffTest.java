package io.github.imagify.command;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.Interpreter;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.testing.TestImages;

/**
 * A batch-mode ImageJ macro runs Denoise the way Fiji's legacy layer does: the command runs on a SciJava
 * thread while the macro thread waits. Afterwards the macro's active image must be the restored one, so
 * that {@code saveAs} saves the result and not the input (imagej-legacy #215, #277).
 */
public class MacroHandoffTest {

	static Context context;

	@TempDir
	Path dir;

	@BeforeAll
	static void start() {
		context = new Context();
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	/** Called by the macro ({@code call(...)}): runs Denoise on the macro's current image on another thread and waits. */
	public static String denoiseCurrentImage(String outputType) throws Exception {
		ImagePlus current = WindowManager.getCurrentImage();
		CommandModule m = context.service(CommandService.class)
				.run(DenoiseCommand.class, true, Map.of("image", current, "output_type", outputType)).get();
		return m.isCanceled() ? "cancelled: " + m.getCancelReason() : "ok";
	}

	@Test
	void theRestoredImageBecomesTheMacrosActiveImageInBatchMode() throws Exception {
		ImagePlus input = new ImagePlus("noisy.tif", TestImages.blobs(72, 64, 4));
		byte[] before = ((byte[]) input.getProcessor().getPixels()).clone();
		Path saved = dir.resolve("saved.tif");
		String macro = "r = call('" + MacroHandoffTest.class.getName() + ".denoiseCurrentImage', 'float');\n"
				+ "if (r != 'ok') exit(r);\n"
				+ "print('title=' + getTitle() + ' bits=' + bitDepth());\n"
				+ "saveAs('Tiff', '" + saved + "');\n";
		ImagePlus last = new Interpreter().runBatchMacro(macro, input);
		assertNotNull(last);
		ImagePlus result = ImageFiles.read(saved);
		assertEquals(32, result.getBitDepth(), "the macro saved the restored (32-bit) image, not the 8-bit input");
		assertEquals(72, result.getWidth());
		assertArrayEquals(before, (byte[]) input.getProcessor().getPixels(), "the input is untouched");
		assertFalse(MacroHandoff.macroThreads().contains(Thread.currentThread()), "no macro runs any more");
	}

	@Test
	void outputTypeInputKeepsTheBitDepthInTheMacro() throws Exception {
		ImagePlus input = new ImagePlus("noisy16.tif", TestImages.blobs(64, 64, 5).convertToShortProcessor(false));
		Path saved = dir.resolve("saved16.tif");
		String macro = "r = call('" + MacroHandoffTest.class.getName() + ".denoiseCurrentImage', 'input');\n"
				+ "if (r != 'ok') exit(r);\n"
				+ "File.saveString(getTitle(), '" + dir.resolve("title.txt") + "');\n"
				+ "saveAs('Tiff', '" + saved + "');\n";
		new Interpreter().runBatchMacro(macro, input);
		ImagePlus result = ImageFiles.read(saved);
		assertEquals(16, result.getBitDepth());
		assertEquals("noisy16-restored.tif", java.nio.file.Files.readString(dir.resolve("title.txt")));
	}
}
