package io.github.imagify.bioimageio;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.ImageStack;
import io.github.imagify.bundled.BundledModels;
import io.github.imagify.cli.Main;
import io.github.imagify.image.FloatImage;
import io.github.imagify.image.FloatVolume;
import io.github.imagify.image.Normalization;
import io.github.imagify.image.PlaneView;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.model.UNetSpec;
import io.github.imagify.modelfile.ModelFile;
import io.github.imagify.modelfile.ModelInfo;
import io.github.imagify.ort.OnnxNetwork;
import io.github.imagify.restore.Restorer;
import io.github.imagify.testing.TestImages;
import io.github.imagify.testing.TestModels;

/**
 * Exports real bundled models, then checks the package as a bioimage.io tool would: the zip's files, the
 * RDF's required keys (parsed, not grepped), every sha256, test tensor shapes against the declared axes, and
 * the test output reproduced by ONNX Runtime from the test input and the declared preprocessing.
 */
class BioimageioExportTest {

	static {
		System.setProperty("slf4j.internal.verbosity", "ERROR"); // as the launcher's main() does
	}

	static final Set<String> ENTRIES = Set.of("rdf.yaml", "model.onnx", "test_input.npy", "test_output.npy", "cover.png", "README.md", "LICENSE", "imagify.json");

	@TempDir
	Path dir;

	@Test
	void bundledModelWithAGivenTestImage() throws Exception {
		Path image = dir.resolve("test.png");
		ImageFiles.write(new ImagePlus("t", TestImages.blobs(300, 200, 3)), image);
		Path zip = dir.resolve("gray.zip");
		var result = BioimageioExport.export(new BioimageioExport.Request("denoise-gray", zip, image, null, null), m -> {});
		assertEquals("Imagify denoise-gray", result.name());
		assertEquals(List.of(1, 1, 200, 200), result.testShape(), "the largest 112 + 8n square inside 300x200");

		Map<String, Object> rdf = validate(zip);
		assertEquals(List.of(Map.of("name", BioimageioExport.DEFAULT_AUTHOR)), rdf.get("authors"));
		assertEquals("Apache-2.0", rdf.get("license"));
		// Imagify's own restore (mirrored context, no eps) agrees with the package's output away from the halo
		Map<String, byte[]> files = entries(zip);
		FloatImage raw = sample(npy(files.get("test_input.npy")));
		FloatImage packaged = sample(npy(files.get("test_output.npy")));
		try (Restorer restorer = new Restorer(BundledModels.load("denoise-gray"), Restorer.DEFAULT_TILE_SIZE, 1)) {
			FloatImage ours = restorer.restore(raw, null);
			Normalization.Range range = Normalization.DEFAULT.measure(raw);
			int halo = 52;
			double worst = 0;
			for (int y = halo; y < raw.height() - halo; y++)
				for (int x = halo; x < raw.width() - halo; x++)
					worst = Math.max(worst, Math.abs((ours.get(0, y, x) - range.low()) / range.scale() - packaged.get(0, y, x)));
			assertTrue(worst < 1e-3, "Imagify and the package agree inside the halo, worst " + worst);
		}
	}

	@Test
	void modelFileWithASyntheticTestImageAndOwnAuthors() throws Exception {
		Path model = dir.resolve("rgb-model.zip");
		TestModels.randomModel(3, 2, 4, 1).write(model); // an RGB network (the bundled denoise-rgb is the grey one, in opponent colours)
		Path zip = dir.resolve("rgb.bioimageio.zip");
		BioimageioExport.export(new BioimageioExport.Request(model.toString(), zip, null, List.of("Ada Lovelace", " Alan \"AT\" Turing "), "MIT"), m -> {});
		Map<String, Object> rdf = validate(zip);
		assertEquals(List.of(Map.of("name", "Ada Lovelace"), Map.of("name", "Alan \"AT\" Turing")), rdf.get("authors"));
		assertEquals("MIT", rdf.get("license"));
		List<Map<String, Object>> axes = list(map(list(rdf.get("inputs")).get(0)).get("axes"));
		assertEquals(List.of("red", "green", "blue"), axes.get(1).get("channel_names"));
		assertTrue(new String(entries(zip).get("LICENSE"), StandardCharsets.UTF_8).contains("MIT"));
	}

	/**
	 * Models trained from noisy images alone export as any other: denoisers, whose README says how they learnt and what
	 * their validation loss compared with (noisy values, not clean ones).
	 */
	@Test
	void selfSupervisedModelSaysHowItLearnt() throws Exception {
		UNetSpec spec = new UNetSpec(1, 2, 4, 0, true, 1.0).withTopSkip(false);
		Map<String, String> validation = Map.of("noise2void", "over masked pixels against their own noisy values", "neighbor2neighbor",
				"of a half-size sub-image against its noisy neighbouring sub-image");
		for (String method : validation.keySet()) {
			Path model = dir.resolve(method + ".zip");
			TestModels.modelFile(TestModels.randomGraph(spec, 2), spec, method, method).write(model);
			Path zip = dir.resolve(method + ".bioimageio.zip");
			BioimageioExport.export(new BioimageioExport.Request(model.toString(), zip, null, null, null), m -> {});
			Map<String, Object> rdf = validate(zip);
			assertTrue(strings(rdf.get("tags")).contains("denoising"), rdf.get("tags").toString());
			String readme = new String(entries(zip).get("README.md"), StandardCharsets.UTF_8);
			assertTrue(readme.contains("Trained to undo: the noise of its training images, learnt from noisy images alone (" + method + ")"), readme);
			assertTrue(readme.replace('\n', ' ').contains("(mean squared error on normalised data, " + validation.get(method) + ")"), readme);
		}
	}

	/**
	 * A 3D model (a DL4J 3D U-Net that pools X and Y but not Z, so Z has a step and a halo of its own) exports with
	 * the axes batch, channel, z, y, x: sizes and halos from the network's spec, 5D test tensors that ONNX Runtime
	 * reproduces after the declared scale_range over the whole volume, and that Imagify's own 3D restore agrees with
	 * inside the halo (so the declared halo covers the receptive field in every axis).
	 */
	@Test
	void threeDimensionalModelWritesZYXAxesWithZsOwnStepAndHalo() throws Exception {
		UNetSpec spec = stackSpec();
		Path model = stackModel(spec);
		Path zip = dir.resolve("stack.bioimageio.zip");
		var result = BioimageioExport.export(new BioimageioExport.Request(model.toString(), zip, null, null, null), m -> {});
		Map<String, Object> rdf = validate(zip);

		long haloXY = even(spec.receptiveFieldRadius()), haloZ = even(spec.receptiveFieldRadiusZ()), step = spec.sizeMultiple();
		long minXY = (2 * haloXY + step) / step * step, minZ = 2 * haloZ + 1; // the smallest sizes leaving a voxel inside two halos
		assertNotEquals(haloXY, haloZ, "the test needs Z's halo to differ from X and Y's");
		Map<String, Object> input = map(list(rdf.get("inputs")).get(0)), output = map(list(rdf.get("outputs")).get(0));
		assertEquals(List.of(Map.of("type", "batch"), Map.of("type", "channel", "channel_names", List.of("gray")),
				Map.of("type", "space", "id", "z", "size", Map.of("min", minZ, "step", 1L)),
				Map.of("type", "space", "id", "y", "size", Map.of("min", minXY, "step", step)),
				Map.of("type", "space", "id", "x", "size", Map.of("min", minXY, "step", step))), input.get("axes"));
		assertEquals(List.of(Map.of("type", "batch"), Map.of("type", "channel", "channel_names", List.of("gray")),
				Map.of("type", "space", "id", "z", "size", Map.of("tensor_id", "input", "axis_id", "z"), "halo", haloZ),
				Map.of("type", "space", "id", "y", "size", Map.of("tensor_id", "input", "axis_id", "y"), "halo", haloXY),
				Map.of("type", "space", "id", "x", "size", Map.of("tensor_id", "input", "axis_id", "x"), "halo", haloXY)), output.get("axes"));
		assertEquals(List.of("channel", "z", "y", "x"), map(map(list(input.get("preprocessing")).get(0)).get("kwargs")).get("axes"));
		assertTrue(strings(rdf.get("tags")).containsAll(List.of("3d", "denoising")) && !strings(rdf.get("tags")).contains("2d"), rdf.get("tags").toString());

		// the synthetic volume: a cube of the 3D cap, a valid size on every axis
		int edge = BioimageioExport.MAX_TEST_SIZE_3D;
		assertEquals(List.of(1, 1, edge, edge, edge), result.testShape());
		Map<String, byte[]> files = entries(zip);
		Tensor in = npy(files.get("test_input.npy")), out = npy(files.get("test_output.npy"));
		assertArrayEquals(new int[] { 1, 1, edge, edge, edge }, in.shape);
		assertArrayEquals(in.shape, out.shape);

		String readme = new String(files.get("README.md"), StandardCharsets.UTF_8);
		for (String said : List.of("axes batch, channel, z, y, x", "Height and width are " + step + " * k pixels, the depth 1 * k planes",
				"per Z-stack, over all channels and voxels together", "crop the `halo` of " + haloXY + " pixels from each side of an output tile in X and Y and of "
						+ haloZ + " planes in Z", "3D U-Net, depth 1, 2 base filters, pooling X and Y only"))
			assertTrue(readme.replace('\n', ' ').contains(said), said + " in\n" + readme);

		// Imagify Denoise (mirrored context, its own percentiles, no eps) agrees with the package inside the halo on every axis
		FloatVolume raw = new FloatVolume(1, edge, edge, edge, in.data), packaged = new FloatVolume(1, edge, edge, edge, out.data);
		try (Restorer restorer = new Restorer(ModelFile.read(model), Restorer.AUTOMATIC_TILE_SIZE, 1)) {
			FloatVolume ours = restorer.restore(raw, null);
			Normalization.Range range = Normalization.DEFAULT.measure(PlaneView.stacked(raw.planes()));
			double worst = 0;
			for (int z = (int) haloZ; z < edge - haloZ; z++)
				for (int y = (int) haloXY; y < edge - haloXY; y++)
					for (int x = (int) haloXY; x < edge - haloXY; x++)
						worst = Math.max(worst, Math.abs((ours.get(0, z, y, x) - range.low()) / range.scale() - packaged.get(0, z, y, x)));
			assertTrue(worst < 1e-3, "Imagify and the package agree inside the halo, worst " + worst);
		}
	}

	/** A given Z-stack is cropped to valid sizes per axis; a single plane, or planes that are time points, are refused in one line. */
	@Test
	void threeDimensionalModelTakesAZStackAsTestImage() throws Exception {
		UNetSpec spec = stackSpec();
		Path model = stackModel(spec);
		ImageStack planes = new ImageStack(30, 27);
		for (int z = 0; z < 20; z++) planes.addSlice(TestImages.blobs(30, 27, z));
		Path stack = dir.resolve("stack.tif"), plane = dir.resolve("plane.tif"), frames = dir.resolve("frames.tif");
		ImageFiles.write(new ImagePlus("stack", planes), stack);
		Path zip = dir.resolve("given.bioimageio.zip");
		var result = BioimageioExport.export(new BioimageioExport.Request(model.toString(), zip, stack, null, null), m -> {});
		long step = spec.sizeMultiple(), minXY = (2 * even(spec.receptiveFieldRadius()) + step) / step * step;
		int xy = (int) (minXY + (27 - minXY) / step * step);
		assertEquals(List.of(1, 1, 20, xy, xy), result.testShape(), "every plane (Z is unpooled), and the largest valid square inside 30x27");
		validate(zip);

		ImageFiles.write(new ImagePlus("plane", TestImages.blobs(30, 27, 1)), plane);
		ImagePlus timeLapse = new ImagePlus("frames", planes);
		timeLapse.setDimensions(1, 1, 20);
		ImageFiles.write(timeLapse, frames);
		String output = "output='" + dir.resolve("refused.zip") + "'";
		String zStacks = "model 'stack' is a 3D model: it restores Z-stacks, not single planes; give a Z-stack of at least " + (2 * even(spec.receptiveFieldRadiusZ()) + 1)
				+ " planes as test_image";
		fails("model='" + model + "',test_image='" + plane + "'," + output, "test_image plane.tif has a single Z plane; " + zStacks);
		fails("model='" + model + "',test_image='" + frames + "'," + output, "test_image frames.tif has a single Z plane per channel and time point; " + zStacks
				+ " (if its planes are Z planes, set them as slices in Image > Properties)");
		assertFalse(Files.exists(dir.resolve("refused.zip")));
	}

	/** A depth-1 3D U-Net of 2 filters that leaves Z unpooled: Z's step (1) and halo differ from X and Y's. */
	private static UNetSpec stackSpec() {
		return new UNetSpec(1, 1, 2, 0, true, 1.0).withDims(3, false);
	}

	private Path stackModel(UNetSpec spec) throws Exception {
		Path model = dir.resolve("stack.zip");
		TestModels.modelFile(TestModels.randomGraph(spec, 3), spec, "stack").write(model);
		return model;
	}

	/** bioimage.io's halo: the receptive-field radius rounded up to even. */
	private static long even(int radius) {
		return radius + radius % 2;
	}

	@Test
	void axesFollowTheModelsSizeMultipleAndContext() {
		ModelInfo info = new ModelInfo("m", "", 1, 4, 5, Normalization.DEFAULT, Map.of(), Map.of(), Map.of());
		BioimageioExport.Axes axes = BioimageioExport.Axes.of(info);
		assertNull(axes.z(), "a 2D model has no Z axis");
		assertEquals(List.of("y", "x"), List.copyOf(axes.space().keySet()));
		BioimageioExport.Axis xy = axes.xy();
		assertEquals(6, xy.halo(), "context 5 rounded up to even");
		assertEquals(16, xy.min(), "the smallest multiple of 4 leaving a pixel inside two halos");
		assertEquals(-1, xy.testSize(15, axes.cap()));
		assertEquals(16, xy.testSize(19, axes.cap()));
		assertEquals(256, xy.testSize(1000, axes.cap()), "capped");

		// 3D: Z has its own size multiple and context, from the network's pooling of Z and its depth
		ModelInfo pooling = new ModelInfo("m", "", 1, 4, 5, Normalization.DEFAULT, Map.of(), Map.of(ModelInfo.DIMS, 3, "depth", 2), Map.of());
		BioimageioExport.Axes volume = BioimageioExport.Axes.of(pooling);
		assertEquals(List.of("z", "y", "x"), List.copyOf(volume.space().keySet()));
		assertEquals(volume.xy(), volume.z(), "pooling Z as X and Y: the same step, halo and minimum");
		assertEquals(64, volume.xy().testSize(1000, volume.cap()), "a volume's test tensors are capped lower");
		ModelInfo keeping = new ModelInfo("m", "", 1, 4, 5, Normalization.DEFAULT, Map.of(), Map.of(ModelInfo.DIMS, 3, ModelInfo.POOL_Z, false, "depth", 2),
				Map.of());
		BioimageioExport.Axis z = BioimageioExport.Axes.of(keeping).z();
		assertEquals(1, z.step(), "Z unpooled: any number of planes");
		assertEquals(10, z.halo(), "one plane per 3x3x3 convolution on the longest path: 4 x depth 2 + 2");
		assertEquals(21, z.min(), "one plane inside two halos");
		assertEquals(-1, BioimageioExport.Axes.of(keeping).testDepth(20));
		assertEquals(37, BioimageioExport.Axes.of(keeping).testDepth(37));
	}

	@Test
	void yamlStringsSurviveQuoting() {
		List<String> nasty = List.of("yes", "no", "null", "1e3", "0x10", "~", "a: b", "- item", "#hash", "quote \" and \\ back", "line\nbreak\ttab",
				"ünïcödé 🦠", "\u0007bell", "\u2028sep", "");
		Map<String, Object> doc = new LinkedHashMap<>();
		doc.put("values", nasty);
		doc.put("nested", Map.of("list", List.of(Map.of("k", "v")), "empty", List.of(), "number", 0.000001, "whole", 100.0, "int", 7));
		Map<String, Object> back = MiniYaml.parse(Yaml.write(doc));
		assertEquals(nasty, back.get("values"));
		Map<String, Object> nested = map(back.get("nested"));
		assertEquals(List.of(Map.of("k", "v")), nested.get("list"));
		assertEquals(List.of(), nested.get("empty"));
		assertEquals(1e-6, (Double) nested.get("number"));
		assertEquals(100.0, (Double) nested.get("whole"));
		assertEquals(7L, nested.get("int"));
	}

	@Test
	void npyHeaderIsAlignedAndReadsBack() {
		float[] data = { 1, -2.5f, Float.MIN_VALUE, 3e7f, 0, 6 };
		byte[] npy = Npy.write(data, 1, 2, 3);
		int headerLength = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
		assertEquals(0, (10 + headerLength) % 64, "data starts on a 64-byte boundary");
		Tensor t = npy(npy);
		assertArrayEquals(new int[] { 1, 2, 3 }, t.shape);
		assertArrayEquals(data, t.data);
	}

	@Test
	void badInputGivesOneClearLine() throws Exception {
		Path out = Files.createDirectory(dir.resolve("out"));
		Path model = dir.resolve("m.zip");
		BundledModels.load("denoise-gray").write(model);
		Path rgb = dir.resolve("rgb.png");
		ImageFiles.write(new ImagePlus("c", TestImages.rgb(128, 128, 1)), rgb);
		Path small = dir.resolve("small.png");
		ImageFiles.write(new ImagePlus("s", TestImages.blobs(100, 90, 1)), small);
		String zip = "output='" + out.resolve("p.zip") + "'";
		fails("model='no-such-model'," + zip, "no-such-model: model not found");
		fails("model='" + model + "',output='" + model + "'", "same as 'model'");
		fails("model='denoise-gray',output='" + out.resolve("p.yaml") + "'", "must end in .zip");
		fails(zip, "'model' is not set");
		fails("model='denoise-gray',test_image='" + rgb + "'," + zip, "expects 1");
		fails("model='denoise-gray',test_image='" + small + "'," + zip, "needs at least 112x112");
		fails("model='denoise-gray',license='Apache 2'," + zip, "not an SPDX licence id");
		fails("model='denoise-gray',output='" + dir.resolve("no-folder").resolve("p.zip") + "'", "does not exist");
		UNetSpec toldSpec = new UNetSpec(1, 2, 4, 0, true, 1.0, UNetSpec.BLUR_SIGMA);
		Path told = dir.resolve("told.zip");
		TestModels.toldModelFile(TestModels.randomGraph(toldSpec, 1), toldSpec, "told").write(told);
		fails("model='" + told + "'," + zip, "is told the blur sigma beside the image");
		fails("model='denoise-rgb'," + zip, "export denoise-gray, a grey model");
		try (Stream<Path> s = Files.list(out)) {
			assertEquals(List.of(), s.toList(), "a failed export leaves nothing behind");
		}
	}

	@Test
	void exportIsListedByTheLauncher() {
		assertTrue(Main.run(new String[] { "--run", "Imagify Export", "model='denoise-gray',output='" + dir.resolve("p.zip") + "'" }) == 0);
		assertTrue(Files.exists(dir.resolve("p.zip")));
	}

	// ---- the package check ----

	/** Checks the package as described in the class comment; returns the parsed RDF. */
	static Map<String, Object> validate(Path zip) throws Exception {
		Map<String, byte[]> files = entries(zip);
		assertEquals(ENTRIES, files.keySet());
		Map<String, Object> rdf = MiniYaml.parse(new String(files.get("rdf.yaml"), StandardCharsets.UTF_8));

		for (String key : List.of("format_version", "type", "name", "description", "authors", "cite", "license", "tags", "documentation", "covers",
				"inputs", "outputs", "weights", "timestamp"))
			assertTrue(rdf.containsKey(key), "rdf.yaml has '" + key + "'");
		assertTrue(((String) rdf.get("format_version")).startsWith("0.5."));
		assertEquals("model", rdf.get("type"));
		assertTrue(((String) rdf.get("name")).matches("[A-Za-z0-9_\\- ()]{5,64}"), "bioimage.io's name rule");
		assertFalse(((String) rdf.get("description")).isBlank());
		for (Map<String, Object> c : list(rdf.get("cite"))) assertTrue(c.containsKey("text") && c.containsKey("doi"));
		assertTrue(((String) rdf.get("license")).matches("[A-Za-z0-9.+-]+"));

		// every file is referenced, every reference exists, every sha256 matches
		List<String> referenced = new ArrayList<>(List.of((String) rdf.get("documentation")));
		referenced.addAll(strings(rdf.get("covers")));
		List<Map<String, Object>> described = new ArrayList<>();
		collectFileDescriptions(rdf, described);
		for (Map<String, Object> f : described) {
			String source = (String) f.get("source");
			assertTrue(files.containsKey(source), source + " is in the zip");
			assertEquals(BioimageioExport.sha256(files.get(source)), f.get("sha256"), "sha256 of " + source);
			referenced.add(source);
		}
		Set<String> unreferenced = new java.util.TreeSet<>(files.keySet());
		unreferenced.remove("rdf.yaml");
		referenced.forEach(unreferenced::remove);
		assertEquals(Set.of(), unreferenced, "every file is described in rdf.yaml");
		assertEquals(5, described.size(), "weights, two test tensors, two attachments");

		Map<String, Object> onnx = map(map(rdf.get("weights")).get("onnx"));
		assertEquals((long) BioimageioExport.opset(files.get("model.onnx")), onnx.get("opset_version"));
		assertEquals(13L, onnx.get("opset_version"));
		String readme = new String(files.get("README.md"), StandardCharsets.UTF_8);
		assertTrue(Pattern.compile("^#.*[vV]alidation").matcher(readme).find(), "bioimage.io looks for a validation heading first");
		var cover = ImageIO.read(new ByteArrayInputStream(files.get(strings(rdf.get("covers")).get(0))));
		assertEquals(2 * cover.getHeight(), cover.getWidth(), "input | output, 2:1");

		// test tensors against the declared axes: batch, channel, then y, x, or z, y, x for a 3D model
		Map<String, Object> input = map(list(rdf.get("inputs")).get(0)), output = map(list(rdf.get("outputs")).get(0));
		Tensor in = npy(files.get(map(input.get("test_tensor")).get("source").toString()));
		Tensor out = npy(files.get(map(output.get("test_tensor")).get("source").toString()));
		List<Map<String, Object>> inAxes = list(input.get("axes")), outAxes = list(output.get("axes"));
		int rank = in.shape.length;
		boolean volume = strings(rdf.get("tags")).contains("3d");
		assertEquals(volume ? 5 : 4, rank, "NCDHW for a 3D model, NCHW for a 2D one");
		assertEquals(rank, inAxes.size(), "an input axis per test tensor dimension");
		assertEquals(rank, outAxes.size(), "an output axis per test tensor dimension");
		assertEquals(volume ? List.of("z", "y", "x") : List.of("y", "x"), inAxes.subList(2, rank).stream().map(a -> a.get("id")).toList());
		List<String> types = new ArrayList<>(List.of("batch", "channel"));
		while (types.size() < rank) types.add("space");
		assertEquals(types, inAxes.stream().map(a -> a.get("type")).toList());
		assertEquals(types, outAxes.stream().map(a -> a.get("type")).toList());
		assertArrayEquals(in.shape, out.shape, "output sizes reference the input's");
		assertEquals(1, in.shape[0]);
		assertEquals(list(inAxes.get(1).get("channel_names")).size(), in.shape[1]);
		assertEquals(inAxes.get(1).get("channel_names"), outAxes.get(1).get("channel_names"));
		for (int a = 2; a < rank; a++) {
			Map<String, Object> size = map(inAxes.get(a).get("size"));
			long min = (Long) size.get("min"), step = (Long) size.get("step");
			assertTrue(in.shape[a] >= min && (in.shape[a] - min) % step == 0, "test size " + in.shape[a] + " is min + n*step");
			Map<String, Object> ref = map(outAxes.get(a).get("size"));
			assertEquals("input", ref.get("tensor_id"));
			assertEquals(inAxes.get(a).get("id"), ref.get("axis_id"));
			long halo = (Long) outAxes.get(a).get("halo");
			assertTrue(halo >= 1 && halo % 2 == 0 && min - 2 * halo >= 1, "bioimage.io's halo rules");
		}

		// the declared preprocessing, then the weights, reproduce the test output
		Map<String, Object> kwargs = map(map(list(input.get("preprocessing")).get(0)).get("kwargs"));
		assertEquals("scale_range", map(list(input.get("preprocessing")).get(0)).get("id"));
		List<Object> measured = new ArrayList<>(List.of("channel"));
		inAxes.subList(2, rank).forEach(a -> measured.add(a.get("id")));
		assertEquals(measured, kwargs.get("axes"), "per sample, over every axis but the batch");
		float[] normalised = scaleRange(in.data, (Double) kwargs.get("min_percentile"), (Double) kwargs.get("max_percentile"), (Double) kwargs.get("eps"));
		try (OnnxNetwork network = new OnnxNetwork(files.get(onnx.get("source").toString()), 1)) {
			OnnxNetwork.Batch actual = network.run(new OnnxNetwork.Batch(normalised, Arrays.stream(in.shape).asLongStream().toArray()));
			assertArrayEquals(Arrays.stream(out.shape).asLongStream().toArray(), actual.shape());
			double worst = 0;
			for (int i = 0; i < out.data.length; i++) worst = Math.max(worst, Math.abs(actual.values()[i] - out.data[i]));
			assertTrue(worst < 1e-4, "ONNX Runtime reproduces test_output.npy, worst difference " + worst);
		}
		return rdf;
	}

	/** bioimage.io's scale_range on one sample over all its axes, written out here independently of the exporter. */
	static float[] scaleRange(float[] sample, double minPercentile, double maxPercentile, double eps) {
		double[] sorted = new double[sample.length];
		for (int i = 0; i < sorted.length; i++) sorted[i] = sample[i];
		Arrays.sort(sorted);
		double lo = numpyPercentile(sorted, minPercentile), hi = numpyPercentile(sorted, maxPercentile);
		float[] out = new float[sample.length];
		for (int i = 0; i < out.length; i++) out[i] = (float) ((sample[i] - lo) / (hi - lo + eps));
		return out;
	}

	static double numpyPercentile(double[] sorted, double p) {
		double pos = p / 100 * (sorted.length - 1);
		int i = (int) pos;
		return i + 1 < sorted.length ? sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]) : sorted[sorted.length - 1];
	}

	private static void collectFileDescriptions(Object node, List<Map<String, Object>> out) {
		if (node instanceof Map<?, ?> m) {
			if (m.containsKey("source") && m.containsKey("sha256")) out.add(map(m));
			m.values().forEach(v -> collectFileDescriptions(v, out));
		} else if (node instanceof List<?> l) {
			l.forEach(v -> collectFileDescriptions(v, out));
		}
	}

	record Tensor(int[] shape, float[] data) {}

	/** numpy's .npy, version 1.0, little-endian float32, C order: what bioimage.io reads with numpy.load. */
	static Tensor npy(byte[] bytes) {
		assertArrayEquals(Npy.MAGIC, Arrays.copyOf(bytes, 6), "npy magic");
		assertEquals(1, bytes[6], "npy version 1.0");
		int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
		String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
		assertTrue(header.endsWith("\n"));
		assertTrue(header.contains("'descr': '<f4'") && header.contains("'fortran_order': False"), header);
		Matcher m = Pattern.compile("'shape': \\(([0-9, ]*)\\)").matcher(header);
		assertTrue(m.find(), header);
		int[] shape = Arrays.stream(m.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
		float[] data = new float[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
		ByteBuffer.wrap(bytes, 10 + headerLength, bytes.length - 10 - headerLength).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
		assertEquals(10 + headerLength + 4L * data.length, bytes.length, "no trailing bytes");
		return new Tensor(shape, data);
	}

	/** The single sample of a [1, C, H, W] tensor. */
	static FloatImage sample(Tensor t) {
		assertEquals(1, t.shape[0]);
		return new FloatImage(t.shape[1], t.shape[2], t.shape[3], t.data);
	}

	static Map<String, byte[]> entries(Path zip) throws Exception {
		Map<String, byte[]> files = new LinkedHashMap<>();
		try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
			for (ZipEntry e; (e = in.getNextEntry()) != null;) assertNull(files.put(e.getName(), in.readAllBytes()), "duplicate " + e.getName());
		}
		return files;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object o) {
		assertInstanceOf(Map.class, o);
		return (Map<String, Object>) o;
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> list(Object o) {
		assertInstanceOf(List.class, o);
		return (List<Map<String, Object>>) o;
	}

	@SuppressWarnings("unchecked")
	static List<String> strings(Object o) {
		assertInstanceOf(List.class, o);
		return (List<String>) o;
	}

	private static void fails(String keys, String fragment) {
		io.github.imagify.testing.LauncherRun.assertFailsWithOneLine("Imagify Export", keys, fragment);
	}
}
