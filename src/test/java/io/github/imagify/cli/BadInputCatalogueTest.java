package io.github.imagify.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.testing.ChildJvm;
import io.github.imagify.testing.LauncherRun;
import io.github.imagify.testing.TestImages;
import io.github.imagify.testing.TestModels;

/**
 * The catalogue of bad input, each case run through the headless launcher as a user would: exit code 1, one
 * clear error line naming the problem (no stack trace), every input byte-identical afterwards, and nothing
 * (not even a temporary file) left in the output folder.
 */
class BadInputCatalogueTest {

	@TempDir
	Path dir;
	Path inputs, out;
	Map<String, String> before;

	@BeforeEach
	void makeInputs() throws Exception {
		inputs = Files.createDirectory(dir.resolve("inputs"));
		out = Files.createDirectory(dir.resolve("out"));
		ImageFiles.write(new ImagePlus("good", TestImages.blobs(80, 64, 1)), inputs.resolve("good.png"));
		ImageFiles.write(new ImagePlus("good", TestImages.blobs(80, 64, 2)), inputs.resolve("good.tif"));
		byte[] png = Files.readAllBytes(inputs.resolve("good.png")), tif = Files.readAllBytes(inputs.resolve("good.tif"));
		Files.write(inputs.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
		Files.write(inputs.resolve("truncated.tif"), Arrays.copyOf(tif, tif.length / 2));
		byte[] corrupt = tif.clone();
		for (int i = 8; i < corrupt.length; i += 7) corrupt[i] ^= 0x5a; // header kept, everything after scrambled
		Files.write(inputs.resolve("corrupt.tif"), corrupt);
		Files.write(inputs.resolve("notes.png"), "these are notes, not an image".getBytes(StandardCharsets.UTF_8));
		ImageFiles.write(new ImagePlus("one", new ByteProcessor(1, 1)), inputs.resolve("one.png"));
		ImageFiles.write(new ImagePlus("small", TestImages.blobs(40, 30, 3)), inputs.resolve("small.png"));
		FloatProcessor nan = new FloatProcessor(80, 64);
		nan.setf(10, 10, Float.NaN);
		nan.setf(11, 10, Float.POSITIVE_INFINITY);
		ImageFiles.write(new ImagePlus("nan", nan), inputs.resolve("nan.tif"));
		ImageFiles.write(new ImagePlus("rgb", TestImages.rgb(80, 64, 4)), inputs.resolve("rgb.tif"));
		TestModels.randomModel(2, 2, 4, 1).write(inputs.resolve("two-channels.zip"));
		byte[] model = Files.readAllBytes(inputs.resolve("two-channels.zip"));
		Files.write(inputs.resolve("truncated-model.zip"), Arrays.copyOf(model, model.length * 2 / 3));
		// our metadata (1 channel) around an ONNX graph whose input takes 3 channels
		new io.github.imagify.modelfile.ModelFile(TestModels.randomModel(1, 2, 4, 2).info(), TestModels.randomModel(3, 2, 4, 3).onnx())
				.write(inputs.resolve("wrong-input-shape.zip"));
		Files.createDirectory(inputs.resolve("empty-folder"));
		Path mixed = Files.createDirectory(inputs.resolve("mixed"));
		ImageFiles.write(new ImagePlus("g", TestImages.blobs(64, 64, 5)), mixed.resolve("grey.png"));
		ImageFiles.write(new ImagePlus("c", TestImages.rgb(64, 64, 6)), mixed.resolve("colour.png"));
		Path clean = Files.createDirectory(inputs.resolve("clean"));
		ImageFiles.write(new ImagePlus("a", TestImages.blobs(64, 64, 7)), clean.resolve("a.png"));
		ImageFiles.write(new ImagePlus("b", TestImages.blobs(96, 80, 8)), clean.resolve("b.png"));
		// for self-supervised training: partners named otherwise, a constant image, clean references that do not fit
		Path misnamed = Files.createDirectory(inputs.resolve("misnamed"));
		ImageFiles.write(new ImagePlus("a", TestImages.blobs(64, 64, 9)), misnamed.resolve("a.png"));
		ImageFiles.write(new ImagePlus("c", TestImages.blobs(96, 80, 10)), misnamed.resolve("c.png"));
		Path constant = Files.createDirectory(inputs.resolve("constant"));
		ImageFiles.write(new ImagePlus("a", TestImages.blobs(64, 64, 7)), constant.resolve("a.png"));
		ByteProcessor flat = new ByteProcessor(64, 64);
		flat.setValue(80);
		flat.fill();
		ImageFiles.write(new ImagePlus("flat", flat), constant.resolve("flat.png"));
		Path otherSize = Files.createDirectory(inputs.resolve("other-size"));
		ImageFiles.write(new ImagePlus("a", TestImages.blobs(64, 64, 7)), otherSize.resolve("a.png"));
		ImageFiles.write(new ImagePlus("b", TestImages.blobs(80, 96, 8)), otherSize.resolve("b.png"));
		before = digests(inputs);
	}

	@AfterEach
	void inputsAreUntouchedAndNothingIsLeftInTheOutputFolder() throws Exception {
		assertEquals(before, digests(inputs), "inputs must stay byte-identical");
		try (Stream<Path> s = Files.list(out)) {
			assertEquals(List.of(), s.toList(), "a failed run leaves nothing in the output folder");
		}
	}

	@Test
	void unreadableImages() {
		fails("Imagify Denoise", denoise("missing.tif"), "not found");
		fails("Imagify Denoise", denoise("truncated.png"), "Cannot read");
		fails("Imagify Denoise", denoise("truncated.tif"), "Cannot read");
		fails("Imagify Denoise", denoise("corrupt.tif"), "Cannot read");
		fails("Imagify Denoise", denoise("notes.png"), "not an image");
	}

	@Test
	void imagesTheNetworkCannotRestore() {
		fails("Imagify Denoise", denoise("one.png"), "1x1 pixels");
		fails("Imagify Denoise", denoise("small.png"), "40x30 pixels, smaller than");
		fails("Imagify Denoise", denoise("nan.tif"), "2 NaN or infinite pixels");
		fails("Imagify Denoise", denoise("good.png") + ",ensemble=3", "ensemble must be 1, 2, 4 or 8");
		fails("Imagify Evaluate", "images='" + inputs.resolve("clean") + "',ensemble=2.5", "ensemble must be 1, 2, 4 or 8");
		fails("Imagify Denoise", denoise("rgb.tif") + ",model='" + inputs.resolve("two-channels.zip") + "'", "expects 2 channels per plane but the image has 3");
	}

	@Test
	void modelFilesThatCannotBeUsed() {
		fails("Imagify Denoise", denoise("good.png") + ",model='" + inputs.resolve("good.png") + "'", "not an Imagify model");
		fails("Imagify Denoise", denoise("good.png") + ",model='" + inputs.resolve("truncated-model.zip") + "'", "truncated-model.zip");
		fails("Imagify Denoise", denoise("good.png") + ",model='" + inputs.resolve("wrong-input-shape.zip") + "'", "input takes 3 channels but imagify.json says 1");
		fails("Imagify Denoise", denoise("good.png") + ",model='" + inputs.resolve("no-such-model.zip") + "'", "no-such-model.zip");
	}

	@Test
	void outputThatWouldOverwriteTheInput() {
		fails("Imagify Denoise", "input='" + inputs.resolve("good.png") + "',output='" + inputs.resolve("good.png") + "'", "same as 'input'");
		fails("Imagify Denoise", "input='" + inputs.resolve("clean") + "',output='" + inputs.resolve("clean") + "'", "same as 'input'");
	}

	@Test
	void trainingFoldersAndAbsurdSettings() {
		String model = "model_out='" + out.resolve("m.zip") + "'";
		fails("Imagify Train", "images='" + inputs.resolve("empty-folder") + "'," + model, "No images");
		fails("Imagify Train", "images='" + inputs.resolve("no-such-folder") + "'," + model, "not found");
		fails("Imagify Train", "images='" + inputs.resolve("mixed") + "'," + model, "mix grey and RGB");
		fails("Imagify Train", "images='" + inputs.resolve("clean") + "',patch_size=256," + model, "patch_size");
		fails("Imagify Train", "images='" + inputs.resolve("clean") + "',epochs=0," + model, "epochs");
		fails("Imagify Train", "images='" + inputs.resolve("clean") + "',noise_sigma=-5," + model, "noise_sigma");
		fails("Imagify Train", "images='" + inputs.resolve("clean") + "',noise_sigma='0-55',noise_sigma_draw='lowest'," + model, "noise_sigma_draw");
		fails("Imagify Train", "images='" + inputs.resolve("clean") + "',degradation='gaussian_blur',blur_sigma='3-1'," + model, "blur_sigma");
		fails("Imagify Train", "images='" + inputs.resolve("clean") + "',blur_known=true," + model, "blur_known=true needs degradation='gaussian_blur'");
		fails("Imagify Train", "images='" + inputs.resolve("clean") + "',batch_size=0," + model, "batch_size");
		fails("Imagify Train", "images='" + inputs.resolve("clean") + "',learning_rate=5," + model, "learning_rate");
		fails("Imagify Train", "images='" + inputs.resolve("clean") + "',model_out='" + inputs.resolve("clean") + "'", "model_out");
		fails("Imagify Train", "images='" + inputs.resolve("clean") + "',start_from='" + inputs.resolve("no-such-model.zip") + "'," + model, "no-such-model.zip");
		fails("Imagify Train", "images='" + inputs.resolve("clean") + "',patch_size=32,start_from='" + inputs.resolve("two-channels.zip") + "'," + model,
				"takes 2-channel images but the training images have 1");
	}

	/** Training from noisy images (method noise2void or noise2noise) with input it cannot use, and keys that do not apply to the method. */
	@Test
	void selfSupervisedTrainingInput() {
		String model = "model_out='" + out.resolve("m.zip") + "'", clean = "images='" + inputs.resolve("clean") + "',";
		fails("Imagify Train", clean + "method='noise2void',patch_size=256," + model, "patch_size 256 leaves 0 patch(es)");
		fails("Imagify Train", clean + "method='noise2void',degraded='" + inputs.resolve("misnamed") + "'," + model, "degraded does not apply to method='noise2void'");
		fails("Imagify Train", clean + "method='noise2void',noise_sigma=25," + model, "noise_sigma does not apply to method='noise2void'");
		fails("Imagify Train", clean + "method='noise2void',degradation='gaussian_blur'," + model, "degradation does not apply to method='noise2void'");
		fails("Imagify Train", clean + "method='noise2noise'," + model, "method='noise2noise' needs 'degraded'");
		fails("Imagify Train", clean + "method='noise2noise',degraded='" + inputs.resolve("misnamed") + "'," + model,
				"noise2noise pairs images by name, but [b.png] in " + inputs.resolve("clean") + " have no partner in 'degraded' and [c.png]");
		fails("Imagify Train", clean + "method='noise2noise',degraded='" + inputs.resolve("clean") + "'," + model, "a.png is the same image as");
		// supervised pairs too: a degraded image equal to its clean one wrote a model file that could not be read (infinite PSNR)
		fails("Imagify Train", clean + "degraded='" + inputs.resolve("clean") + "'," + model, "a.png is the same image as");
		fails("Imagify Train", "images='" + inputs.resolve("constant") + "',method='noise2void',patch_size=32," + model, "flat.png is constant");
		fails("Imagify Train", clean + "method='noise2void',clean='" + inputs.resolve("misnamed") + "'," + model, "'clean' has no image named b.png");
		fails("Imagify Train", clean + "method='noise2void',patch_size=32,clean='" + inputs.resolve("other-size") + "'," + model,
				"other-size/b.png does not match");
		fails("Imagify Train", clean + "clean='" + inputs.resolve("clean") + "'," + model, "clean does not apply to method='supervised'");
		fails("Imagify Train", clean + "masked_fraction=0.01," + model, "masked_fraction does not apply to method='supervised'");
		fails("Imagify Train", clean + "method='noise2void',struct_mask='diagonal'," + model, "struct_mask must be one of none, horizontal, vertical");
		fails("Imagify Train", clean + "method='n2v'," + model, "method must be one of supervised, noise2void, noise2noise");
	}

	/** A read-only and a full output folder, for real: a tmpfs mounted in a private mount namespace around a child JVM. */
	@Test
	void readOnlyAndFullOutputFolders() throws Exception {
		assumeTrue(namespacesWork(), "needs unshare(1) with user and mount namespaces");
		Path target = Files.createDirectory(dir.resolve("mnt"));
		String png = inputs.resolve("good.png").toString();
		String readOnly = inNamespace("-o ro,size=1m", target, "Imagify Denoise", "input='" + png + "',output='" + target.resolve("r.png") + "'");
		assertFailureOutput(readOnly, "Read-only file system");
		// 8 KiB hold the temporary file's first blocks but not the whole 32-bit TIFF
		String full = inNamespace("-o size=8k", target, "Imagify Denoise", "input='" + png + "',output='" + target.resolve("r.tif") + "'");
		assertFailureOutput(full, "No space left");
		assertTrue(full.contains("LISTING-BEGIN\nLISTING-END"), "nothing is left on the full file system:\n" + full);
	}

	private String inNamespace(String mountOptions, Path target, String command, String keys) throws Exception {
		String java = String.join(" ", ChildJvm.command("io.github.imagify.cli.Main", "--run", command).stream().map(BadInputCatalogueTest::shellQuote).toList());
		String script = "mount -t tmpfs " + mountOptions + " tmpfs " + shellQuote(target.toString()) + " || exit 99\n"
				+ java + " " + shellQuote(keys) + "\necho \"EXIT=$?\"\necho LISTING-BEGIN; ls -A " + shellQuote(target.toString()) + "; echo LISTING-END\n";
		Process p = new ProcessBuilder("unshare", "-rm", "sh", "-c", script).redirectErrorStream(true).start();
		assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM timed out");
		return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
	}

	private static void assertFailureOutput(String output, String fragment) {
		assertTrue(output.contains("EXIT=1"), output);
		List<String> errors = output.lines().filter(l -> l.contains(fragment)).toList();
		assertEquals(1, errors.size(), "one error line naming the problem:\n" + output);
		assertFalse(output.contains("\tat "), "no stack trace:\n" + output);
	}

	private static boolean namespacesWork() {
		try {
			Process p = new ProcessBuilder("unshare", "-rm", "sh", "-c", "mount -t tmpfs tmpfs /tmp 2>/dev/null && echo ok").start();
			return p.waitFor(20, TimeUnit.SECONDS) && new String(p.getInputStream().readAllBytes()).contains("ok");
		} catch (IOException | InterruptedException e) {
			return false;
		}
	}

	private static String shellQuote(String s) {
		return "'" + s.replace("'", "'\\''") + "'";
	}

	private String denoise(String inputName) {
		return "input='" + inputs.resolve(inputName) + "',output='" + out.resolve("restored.tif") + "'";
	}

	private static void fails(String command, String keys, String fragment) {
		LauncherRun.assertFailsWithOneLine(command, keys, fragment);
	}

	private static Map<String, String> digests(Path root) throws Exception {
		Map<String, String> m = new TreeMap<>();
		try (Stream<Path> s = Files.walk(root)) {
			for (Path p : s.filter(Files::isRegularFile).toList())
				m.put(root.relativize(p).toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
		}
		return m;
	}
}
