package io.github.imagify.command;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;

import ij.ImagePlus;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.testing.TestImages;

/**
 * Train's model_file output goes through SciJava's postprocessors (its display postprocessor included, as in
 * Fiji) without the "Ignoring unsupported output: Model file" warning it logged after every run; scripts still
 * get the file.
 */
class FileOutputsTest {

	@TempDir
	Path dir;

	@Test
	void trainingLogsNoWarningAboutItsFileOutput() throws Exception {
		Path images = Files.createDirectory(dir.resolve("clean")), model = dir.resolve("m.zip");
		ImageFiles.write(new ImagePlus("a", TestImages.blobs(64, 64, 1)), images.resolve("a.png"));
		List<String> warnings = new CopyOnWriteArrayList<>();
		try (Context context = new Context()) {
			context.service(LogService.class).addLogListener(m -> {
				if (m.level() <= LogLevel.WARN) warnings.add(m.text());
			});
			CommandModule m = context.service(CommandService.class).run(TrainCommand.class, true, Map.of("images", images.toString(),
					"model_out", model.toString(), "patch_size", 32, "batch_size", 2, "epochs", 1, "steps_per_epoch", 2, "depth", 1,
					"base_filters", 4)).get();
			assertFalse(m.isCanceled(), m.getCancelReason());
			assertEquals(model.toFile(), m.getOutput("model_file"));
		}
		assertEquals(List.of(), warnings);
	}
}
