package io.github.imagify.reliability;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.ImagePlus;
import ij.process.ShortProcessor;
import io.github.imagify.bundled.BundledModels;
import io.github.imagify.command.DenoiseCommand;
import io.github.imagify.image.FloatImage;
import io.github.imagify.imagej.ImagePlusImages;
import io.github.imagify.restore.Restorer;
import io.github.imagify.testing.TestImages;

/** Denoise runs at the same time in one JVM, as Fiji users start them, give exactly what a lone run gives. */
class ConcurrencyTest {

	static List<ImagePlus> images() {
		ShortProcessor sp = TestImages.blobs(70, 64, 3).convertToShortProcessor(false);
		sp.multiply(40);
		return List.of(new ImagePlus("grey", TestImages.blobs(96, 80, 1)), new ImagePlus("rgb", TestImages.rgb(80, 72, 2)),
				new ImagePlus("short", sp));
	}

	@Test
	void parallelCommandsMatchLoneRuns() throws Exception {
		try (Context context = new Context()) {
			CommandService commands = context.service(CommandService.class);
			List<ImagePlus> images = images();
			List<ImagePlus> lone = new ArrayList<>();
			for (ImagePlus imp : images) lone.add(denoise(commands, imp));
			ExecutorService pool = Executors.newFixedThreadPool(6);
			try {
				List<Future<ImagePlus>> runs = new ArrayList<>();
				for (int round = 0; round < 2; round++)
					for (ImagePlus imp : images) runs.add(pool.submit(() -> denoise(commands, imp)));
				for (int i = 0; i < runs.size(); i++) {
					ImagePlus expected = lone.get(i % images.size()), got = runs.get(i).get();
					assertArrayEquals(ImagePlusImages.plane(expected, 1).data(), ImagePlusImages.plane(got, 1).data(),
							"run " + i + " (" + got.getTitle() + ") equals the lone run");
				}
			} finally {
				pool.shutdownNow();
			}
		}
	}

	@Test
	void oneRestorerSharedByThreadsMatchesLoneRuns() throws Exception {
		try (Restorer shared = new Restorer(BundledModels.load(BundledModels.DEFAULT_GRAY), 64, 1)) {
			List<FloatImage> inputs = new ArrayList<>();
			for (int i = 0; i < 4; i++) inputs.add(ImagePlusImages.plane(new ImagePlus("b", TestImages.blobs(100 + 7 * i, 90, i)), 1));
			List<FloatImage> lone = new ArrayList<>();
			for (FloatImage in : inputs) lone.add(shared.restore(in, null));
			ExecutorService pool = Executors.newFixedThreadPool(4);
			try {
				List<Callable<FloatImage>> tasks = new ArrayList<>();
				for (int round = 0; round < 3; round++)
					for (FloatImage in : inputs) tasks.add(() -> shared.restore(in, null));
				List<Future<FloatImage>> results = pool.invokeAll(tasks);
				for (int i = 0; i < results.size(); i++)
					assertArrayEquals(lone.get(i % inputs.size()).data(), results.get(i).get().data(), "task " + i);
			} finally {
				pool.shutdownNow();
			}
		}
	}

	private static ImagePlus denoise(CommandService commands, ImagePlus image) throws Exception {
		CommandModule m = commands.run(DenoiseCommand.class, true, Map.of("image", image)).get();
		assertFalse(m.isCanceled(), m.getCancelReason());
		return (ImagePlus) m.getOutput("restored");
	}
}
