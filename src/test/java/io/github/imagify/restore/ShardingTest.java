package io.github.imagify.restore;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.ImagePlus;
import ij.ImageStack;
import io.github.imagify.command.DenoiseCommand;
import io.github.imagify.imagej.restore.FileRestorer;
import io.github.imagify.imagej.restore.ModelChoice;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.testing.TestImages;
import io.github.imagify.testing.TestModels;

/** Job-array sharding: folder parts, skipping finished outputs, and one image split by tile rows and stitched. */
class ShardingTest {

	static Context context;
	static CommandService commands;
	static Path model;

	@TempDir
	static Path shared;

	@TempDir
	Path dir;

	@BeforeAll
	static void start() throws Exception {
		context = new Context();
		commands = context.service(CommandService.class);
		model = shared.resolve("m.zip");
		TestModels.randomModel(1, 2, 4, 7).write(model);
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	CommandModule denoise(Map<String, Object> keys) throws Exception {
		Map<String, Object> all = new java.util.HashMap<>(keys);
		all.put("model", model.toString());
		all.put("tile_size", 16);
		return commands.run(DenoiseCommand.class, true, all).get();
	}

	void ok(CommandModule m) {
		assertFalse(m.isCanceled(), m.getCancelReason());
	}

	@Test
	void shardsAreDisjointCoverTheFolderAndDoNotDependOnListingOrder() {
		List<String> names = new ArrayList<>();
		for (int i = 0; i < 23; i++) names.add("t" + (i * 37 % 23) + (i % 2 == 0 ? ".tif" : ".png"));
		for (int n = 1; n <= 5; n++) {
			Set<String> seen = new HashSet<>();
			for (int i = 1; i <= n; i++) {
				List<String> part = new Shard(i, n).select(names, s -> s);
				assertTrue(part.size() >= 23 / n && part.size() <= 23 / n + 1, "balanced: " + part.size());
				for (String s : part) assertTrue(seen.add(s), s + " in two shards");
				List<String> shuffled = new ArrayList<>(names);
				Collections.shuffle(shuffled, new Random(i * 31L + n));
				assertEquals(part, new Shard(i, n).select(shuffled, s -> s), "same part whatever the listing order");
			}
			assertEquals(new HashSet<>(names), seen);
		}
		assertEquals(new Shard(2, 4), Shard.parse(" 2 / 4 "));
		for (String bad : List.of("0/4", "5/4", "2", "a/b", "-1/4", "1/0", "2/4/8"))
			assertThrows(IllegalArgumentException.class, () -> Shard.parse(bad), bad);
	}

	@Test
	void shardedFolderRunsWriteEachImageOnceAndEqualASingleRun() throws Exception {
		Path in = TestImages.folder(dir, "in", 7, 40, 3);
		Path whole = dir.resolve("whole"), sharded = dir.resolve("sharded");
		ok(denoise(Map.of("input", in.toString(), "output", whole.toString())));

		List<Path> written = new ArrayList<>();
		Path lost, leftover;
		try (ModelChoice models = new ModelChoice(model.toString(), 16, 1, s -> {})) {
			FileRestorer files = new FileRestorer(models);
			for (int i = 1; i <= 3; i++) written.addAll(files.restore(in, sharded, new Shard(i, 3), RestoreListener.SILENT));
			assertEquals(7, written.size());
			assertEquals(7, new HashSet<>(written).size(), "each image written once");
			for (Path p : ImageFiles.listImages(whole))
				assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(sharded.resolve(p.getFileName())), p + " differs from the single run");

			// a killed task: one output never written, a temporary file left behind; the rerun writes only that one
			lost = new Shard(2, 3).select(written, p -> p.getFileName().toString()).get(1);
			Files.delete(lost);
			leftover = sharded.resolve("." + lost.getFileName() + ".8812345.part.png");
			Files.write(leftover, new byte[] { 1, 2, 3 });
			for (int i = 1; i <= 3; i++) {
				List<Path> again = files.restore(in, sharded, new Shard(i, 3), RestoreListener.SILENT);
				assertEquals(i == 2 ? List.of(lost) : List.of(), again, "shard " + i + " redid finished work");
			}
		}
		assertFalse(Files.exists(leftover), "leftover temporary file removed");
		try (Stream<Path> s = Files.list(sharded)) {
			assertEquals(7, s.count(), "only the outputs are left");
		}
		assertArrayEquals(Files.readAllBytes(whole.resolve(lost.getFileName())), Files.readAllBytes(lost));

		CommandModule bad = denoise(Map.of("input", in.toString(), "output", sharded.toString(), "shard", "0/3"));
		assertTrue(bad.isCanceled());
		assertTrue(bad.getCancelReason().contains("shard must be i/n"), bad.getCancelReason());
		assertFalse(bad.getCancelReason().contains("\n"));
	}

	@Test
	void oneImageSplitByTileRowsAndStitchedEqualsASingleRun() throws Exception {
		// a 16-bit two-plane stack, to a float TIFF and (converted) to a PNG of the first plane's depth
		ImageStack stack = new ImageStack(45, 90);
		stack.addSlice("a", TestImages.blobs(45, 90, 1).convertToShort(false));
		stack.addSlice("b", TestImages.blobs(45, 90, 2).convertToShort(false));
		ImagePlus sixteen = new ImagePlus("s", stack);
		sixteen.getCalibration().pixelWidth = 0.25;
		Path in = dir.resolve("big.tif");
		ImageFiles.write(sixteen, in);
		Path rgbIn = dir.resolve("rgb.png");
		ImageFiles.write(new ImagePlus("c", TestImages.rgb(60, 70, 5)), rgbIn);

		for (Object[] c : new Object[][] { { in, "big-out.tif", 3 }, { rgbIn, "rgb-out.png", 4 } }) {
			Path input = (Path) c[0];
			Path single = dir.resolve("single-" + c[1]), out = dir.resolve((String) c[1]);
			int n = (Integer) c[2];
			ok(denoise(Map.of("input", input.toString(), "output", single.toString())));
			CommandModule early = denoise(Map.of("input", input.toString(), "output", out.toString(), "stitch", true));
			assertTrue(early.isCanceled());
			assertTrue(early.getCancelReason().contains("No bands"), early.getCancelReason());
			for (int i = n; i >= 1; i--) {
				ok(denoise(Map.of("input", input.toString(), "output", out.toString(), "shard", i + "/" + n)));
				assertTrue(Files.isRegularFile(FileRestorer.bandFile(out, new Shard(i, n))));
				if (i == 2) {
					CommandModule partial = denoise(Map.of("input", input.toString(), "output", out.toString(), "stitch", true));
					assertTrue(partial.isCanceled());
					assertTrue(partial.getCancelReason().contains("Band(s) [1] of " + n + " of " + out + " are missing: run shard(s) 1/" + n + " first"), partial.getCancelReason());
				}
			}
			ok(denoise(Map.of("input", input.toString(), "output", out.toString(), "stitch", true)));
			assertArrayEquals(Files.readAllBytes(single), Files.readAllBytes(out), c[1] + ": stitched bands differ from the single run");
			try (Stream<Path> s = Files.list(dir)) {
				assertEquals(List.of(), s.filter(p -> p.getFileName().toString().contains(".band-")).toList(), "bands deleted");
			}
			// resubmitted shards and stitch find the work done
			ok(denoise(Map.of("input", input.toString(), "output", out.toString(), "shard", "1/" + n)));
			ok(denoise(Map.of("input", input.toString(), "output", out.toString(), "stitch", true)));
			assertFalse(Files.exists(FileRestorer.bandFile(out, new Shard(1, n))));
			assertArrayEquals(Files.readAllBytes(single), Files.readAllBytes(out));
		}
		CommandModule tooMany = denoise(Map.of("input", in.toString(), "output", dir.resolve("x.tif").toString(), "shard", "7/7"));
		assertTrue(tooMany.isCanceled());
		assertTrue(tooMany.getCancelReason().contains("too few for 7 shards"), tooMany.getCancelReason());
	}
}
