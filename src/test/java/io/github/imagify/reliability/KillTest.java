package io.github.imagify.reliability;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonParser;

import ij.ImagePlus;
import ij.process.FloatProcessor;
import io.github.imagify.image.FloatImage;
import io.github.imagify.imagej.ImagePlusImages;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.modelfile.ModelFile;
import io.github.imagify.restore.Restorer;
import io.github.imagify.testing.ChildJvm;
import io.github.imagify.testing.TestImages;
import io.github.imagify.testing.TestModels;

/**
 * SIGKILL at arbitrary moments, for real: a child JVM writes files or trains, this test kills it
 * ({@link Process#destroyForcibly()} sends SIGKILL on Linux) and checks what is on disk.
 */
class KillTest {

	@TempDir
	Path dir;

	/** Child: writes version A, then B, then A ... of an image and a model file over the same targets until killed. */
	public static final class WriteLoop {
		public static void main(String[] args) throws Exception {
			Path folder = Path.of(args[0]);
			ImagePlus[] images = { ImageFiles.read(folder.resolve("a-ref.tif")), ImageFiles.read(folder.resolve("b-ref.tif")) };
			ModelFile[] models = { ModelFile.read(folder.resolve("a-ref.zip")), ModelFile.read(folder.resolve("b-ref.zip")) };
			for (long i = 0;; i++) {
				ImageFiles.write(images[(int) (i % 2)], folder.resolve("image.tif"));
				models[(int) (i % 2)].write(folder.resolve("model.zip"));
				if (i == 1) System.out.println("WRITING");
			}
		}
	}

	@Test
	void killedWritesLeaveTheOldOrTheNewFileNeverAPartialOne() throws Exception {
		byte[][] refImages = new byte[2][];
		for (int v = 0; v < 2; v++) {
			FloatProcessor fp = new FloatProcessor(1024, 1024); // 4 MB: a write takes long enough to be hit
			Random rng = new Random(v);
			for (int p = 0; p < 1024 * 1024; p++) fp.setf(p, rng.nextFloat());
			Path ref = dir.resolve((v == 0 ? "a" : "b") + "-ref.tif");
			ImageFiles.write(new ImagePlus("v" + v, fp), ref);
			refImages[v] = Files.readAllBytes(ref);
			TestModels.randomModel(1, 3, 16, v).write(dir.resolve((v == 0 ? "a" : "b") + "-ref.zip"));
		}
		byte[][] refOnnx = { ModelFile.read(dir.resolve("a-ref.zip")).onnx(), ModelFile.read(dir.resolve("b-ref.zip")).onnx() };
		Random rng = new Random(42);
		for (int kill = 0; kill < 8; kill++) {
			Process p = new ProcessBuilder(ChildJvm.command(WriteLoop.class.getName(), dir.toString())).redirectErrorStream(true).start();
			var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
			String line;
			while ((line = out.readLine()) != null && !line.equals("WRITING")) {} // both targets exist from here on
			assertNotNull(line, "the writer child started");
			Thread.sleep(rng.nextInt(400));
			p.destroyForcibly();
			assertTrue(p.waitFor(30, TimeUnit.SECONDS));
			byte[] image = Files.readAllBytes(dir.resolve("image.tif"));
			assertTrue(Arrays.equals(image, refImages[0]) || Arrays.equals(image, refImages[1]), "kill " + kill + ": the image is version A or B, complete");
			byte[] onnx = ModelFile.read(dir.resolve("model.zip")).onnx();
			assertTrue(Arrays.equals(onnx, refOnnx[0]) || Arrays.equals(onnx, refOnnx[1]), "kill " + kill + ": the model is version A or B, complete");
		}
		// what a kill can leave is a hidden temporary file, never the target name, and never seen as an image
		assertEquals(List.of(dir.resolve("a-ref.tif"), dir.resolve("b-ref.tif"), dir.resolve("image.tif")), ImageFiles.listImages(dir));
	}

	@Test
	void trainingKilledMidEpochResumesFromItsLastCheckpointAndTheBestModelIsAlwaysComplete() throws Exception {
		Path images = TestImages.folder(dir, "clean", 2, 64, 3);
		Path model = dir.resolve("model.zip");
		Path state = dir.resolve("model.zip.checkpoint").resolve("state.json");
		String keys = "images='" + images + "',model_out='" + model + "',patch_size=32,batch_size=4,steps_per_epoch=6,depth=2,base_filters=4,seed=3,epochs=";
		Random rng = new Random(7);
		int committed = 0;
		for (int kill = 0; kill < 3; kill++) {
			Path log = dir.resolve("train-" + kill + ".log");
			Process p = ChildJvm.launch(log, "Imagify Train", keys + 1000);
			int target = committed + 2;
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
			while (epochsDone(state) < target) {
				assertTrue(p.isAlive(), "training ended early:\n" + Files.readString(log));
				assertTrue(System.nanoTime() < deadline, "no progress:\n" + Files.readString(log));
				Thread.sleep(20);
			}
			Thread.sleep(rng.nextInt(300)); // somewhere inside the next epoch, or while it writes
			int before = epochsDone(state);
			p.destroyForcibly();
			assertTrue(p.waitFor(30, TimeUnit.SECONDS));
			int after = epochsDone(state);
			assertTrue(after >= before, "the checkpoint never goes back");
			if (kill > 0) {
				Matcher m = Pattern.compile("after epoch (\\d+)").matcher(Files.readString(log));
				assertTrue(m.find(), "the run resumed:\n" + Files.readString(log));
				assertEquals(committed, Integer.parseInt(m.group(1)), "it resumed from the last committed epoch, losing at most the one in progress");
			}
			committed = after;
			assertRestores(model);
			try (Stream<Path> s = Files.list(model.resolveSibling("model.zip.checkpoint"))) {
				assertTrue(s.anyMatch(f -> f.getFileName().toString().equals("network-" + epochsDone(state) + ".zip")), "the committed network exists");
			}
		}
		// a last, uninterrupted run finishes from where the kills left it
		Path log = dir.resolve("train-final.log");
		Process p = ChildJvm.launch(log, "Imagify Train", keys + (committed + 1));
		assertTrue(p.waitFor(120, TimeUnit.SECONDS));
		String text = Files.readString(log);
		assertEquals(0, p.exitValue(), text);
		assertTrue(text.contains("after epoch " + committed), text);
		assertEquals(committed + 1, ((Number) ModelFile.read(model).info().training().get("epochs_done")).intValue());
		assertRestores(model);
	}

	private static int epochsDone(Path state) {
		try {
			return JsonParser.parseString(Files.readString(state)).getAsJsonObject().get("epochsDone").getAsInt();
		} catch (Exception e) {
			return 0; // not written yet; never partial, because it is written atomically
		}
	}

	private static void assertRestores(Path model) throws Exception {
		try (Restorer r = new Restorer(ModelFile.read(model), 64, 1)) {
			FloatImage img = ImagePlusImages.plane(new ImagePlus("x", TestImages.blobs(40, 40, 1)), 1);
			assertEquals(40, r.restore(img, null).width());
		}
	}
}
