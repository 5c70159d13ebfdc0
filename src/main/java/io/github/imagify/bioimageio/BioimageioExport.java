package io.github.imagify.bioimageio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import ij.ImagePlus;
import ij.ImageStack;
import io.github.imagify.bundled.BundledModels;
import io.github.imagify.degrade.DegradationSpec;
import io.github.imagify.degrade.VolumeDegradations;
import io.github.imagify.image.FloatImage;
import io.github.imagify.image.FloatVolume;
import io.github.imagify.image.PlaneView;
import io.github.imagify.image.Tiling;
import io.github.imagify.imagej.ImagePlusImages;
import io.github.imagify.io.AtomicFiles;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.modelfile.ModelFile;
import io.github.imagify.modelfile.ModelInfo;
import io.github.imagify.ort.OnnxNetwork;
import onnx.Onnx.ModelProto;
import onnx.Onnx.OperatorSetIdProto;

/**
 * Writes an Imagify model as a bioimage.io model package (format 0.5), a zip that deepImageJ and the other
 * bioimage.io consumers install: {@code rdf.yaml}, the ONNX weights, test input and output tensors
 * ({@code .npy}), a cover image, documentation and licence, every file with its sha256 in the RDF.
 * <p>
 * A 2D model's tensors have the axes batch, channel, y, x; a 3D model's (its Z-stacks restored as volumes)
 * batch, channel, z, y, x, with Z's own size step and halo. Our percentile normalisation is declared as the
 * input's {@code scale_range} preprocessing (per sample, over channels and pixels, or voxels, together, as
 * {@code Normalization.measure} does for a plane or a whole Z-stack). bioimage.io 0.5 has no step
 * that undoes another tensor's percentile scaling, so the output is declared in normalised units: the
 * input's low and high percentiles map to 0 and 1 (Imagify itself maps it back to the input's units).
 */
public final class BioimageioExport {

	/** The 0.5 patch version written; newer bioimage.io tools read older patch versions of 0.5. */
	public static final String FORMAT_VERSION = "0.5.3";
	public static final String DEFAULT_AUTHOR = "Imagify developers";
	/** Imagify's own licence (pom.xml). */
	public static final String DEFAULT_LICENSE = "Apache-2.0";
	/** bioimage.io's default epsilon for scale_range: {@code (x - low) / (high - low + eps)}. */
	public static final double EPS = 1e-6;
	/** Largest edge of the test tensors: enough to show the restoration, small enough to keep the package light. */
	static final int MAX_TEST_SIZE = 256;
	/** Largest edge of a 3D model's test tensors, in Z, Y and X: a volume grows as the cube (1 MB a tensor), as a 3D restore tile's default core. */
	static final int MAX_TEST_SIZE_3D = 64;

	static final String RDF = "rdf.yaml", WEIGHTS = "model.onnx", TEST_INPUT = "test_input.npy", TEST_OUTPUT = "test_output.npy",
			COVER = "cover.png", README = "README.md", LICENSE = "LICENSE", METADATA = "imagify.json";

	/**
	 * @param model     a model file or a bundled model name
	 * @param output    the package to write, a {@code .zip}
	 * @param testImage an image for the test tensors (for a 3D model a Z-stack; its first channel and time point), or null
	 *                  for a synthetic one degraded as the model expects
	 * @param authors   author names (empty: {@link #DEFAULT_AUTHOR})
	 * @param license   SPDX licence id (null or blank: {@link #DEFAULT_LICENSE})
	 */
	public record Request(String model, Path output, Path testImage, List<String> authors, String license) {}

	/** What was written: the package, its RDF name, and the test tensors' shape (batch, channel, [z,] y, x). */
	public record Result(Path output, String name, List<Integer> testShape) {}

	private BioimageioExport() {}

	public static Result export(Request request, Consumer<String> log) throws Exception {
		Path output = checkOutput(request);
		String license = request.license() == null || request.license().isBlank() ? DEFAULT_LICENSE : request.license().trim();
		if (!license.matches("[A-Za-z0-9][A-Za-z0-9.+-]*"))
			throw new IllegalArgumentException("license '" + license + "' is not an SPDX licence id (e.g. Apache-2.0, MIT, CC-BY-4.0)");
		List<String> authors = request.authors() == null ? List.of() : request.authors().stream().map(String::trim).filter(a -> !a.isEmpty()).toList();
		if (authors.isEmpty()) authors = List.of(DEFAULT_AUTHOR);

		ModelFile model = resolveModel(request.model());
		ModelInfo info = model.info();
		if (info.condition() != null) // its input holds the blur sigma or the luminance in one more channel, which no bioimage.io consumer fills
			throw new IllegalArgumentException("Model '" + info.name() + "' is told the " + info.condition().replace('_', ' ')
					+ " beside the image, which bioimage.io's single image input cannot carry; export a blind model");
		int opset = opset(model.onnx());
		double low = info.normalization().lowPercentile(), high = info.normalization().highPercentile();
		if (!(high > 1))
			throw new IllegalArgumentException("Model '" + info.name() + "' normalises to the " + high + "th percentile; bioimage.io's scale_range needs a high percentile above 1");
		Axes axes = Axes.of(info);

		// a 2D image is a volume of one plane: the same CHW array, cropped, normalised and run as 2D export always did
		FloatVolume raw = request.testImage() == null ? syntheticTestImage(info, axes) : readTestImage(request.testImage(), info, axes);
		int depth = axes.testDepth(raw.depth()), size = axes.xy().testSize(Math.min(raw.height(), raw.width()), axes.cap());
		if (depth < 0 || size < 0)
			throw new IllegalArgumentException("test_image is " + axes.extent(raw.width(), raw.height(), raw.depth()) + "; model '" + info.name() + "' needs at least "
					+ axes.extent(axes.xy().min(), axes.xy().min(), axes.z() == null ? 1 : axes.z().min()) + " for its test tensors; give a larger test_image");
		FloatVolume input = raw.extract((raw.depth() - depth) / 2, (raw.height() - size) / 2, (raw.width() - size) / 2, depth, size, size);
		FloatVolume normalised = FloatVolume.ofPlanes(scaleRange(input.asPlanes(), low, high), depth); // all channels and planes together
		FloatVolume restored;
		try (OnnxNetwork network = new OnnxNetwork(model.onnx(), 0)) {
			restored = run(network, normalised, info);
		}
		if (!restored.sameShape(input))
			throw new IOException("Model '" + info.name() + "' returned a " + restored + " for a " + input + "; Imagify exports only networks whose output matches their input");
		log.accept("Imagify Export: test tensors of " + axes.extent(size, size, depth) + ", " + info.channels() + " channel(s)");

		int[] shape = axes.tensorShape(info.channels(), depth, size);
		Map<String, byte[]> files = new LinkedHashMap<>();
		files.put(WEIGHTS, model.onnx());
		files.put(TEST_INPUT, Npy.write(input.data(), shape));
		files.put(TEST_OUTPUT, Npy.write(restored.data(), shape));
		files.put(COVER, Cover.png(middlePlane(normalised), middlePlane(restored)));
		String name = rdfName(info.name());
		files.put(README, Documentation.readme(name, info, axes, EPS).getBytes(StandardCharsets.UTF_8));
		files.put(LICENSE, Documentation.license(license, authors).getBytes(StandardCharsets.UTF_8));
		files.put(METADATA, ModelFile.toJson(info).getBytes(StandardCharsets.UTF_8));
		String rdf = Yaml.write(rdf(name, info, axes, opset, authors, license, files));
		writeZip(output, rdf, files);
		return new Result(output, name, Arrays.stream(shape).boxed().toList());
	}

	/** The network on one normalised test tensor, as Imagify runs it: planes as NCHW, a 3D model's volumes as NCDHW. */
	private static FloatVolume run(OnnxNetwork network, FloatVolume normalised, ModelInfo info) throws IOException {
		if (info.is3d()) return network.runVolumes(List.of(normalised)).get(0);
		return FloatVolume.ofPlanes(network.run(List.of(normalised.asPlanes())).get(0), 1);
	}

	/** The plane in the middle of a volume, all its channels: a 2D image's only plane. */
	private static FloatImage middlePlane(FloatVolume volume) {
		return Tiling.extract(volume.plane(volume.depth() / 2), 0, 0, volume.height(), volume.width());
	}

	/** The package must be a new .zip that overwrites none of the inputs. */
	private static Path checkOutput(Request request) {
		if (request.output() == null || request.output().toString().isBlank())
			throw new IllegalArgumentException("'output' is not set; give the .zip file to write, e.g. output='my-model.bioimageio.zip'");
		Path output = request.output();
		if (!AtomicFiles.extension(output.getFileName().toString()).equals(".zip"))
			throw new IllegalArgumentException("output " + output + " must end in .zip: bioimage.io packages are zip files");
		if (request.model() != null && !request.model().isBlank() && !BundledModels.NAMES.contains(request.model().trim())
				&& sameFile(output, Path.of(request.model().trim())))
			throw new IllegalArgumentException("output " + output + " is the same as 'model'; choose another file for the package");
		if (request.testImage() != null && sameFile(output, request.testImage()))
			throw new IllegalArgumentException("output " + output + " is the same as 'test_image'; choose another file for the package");
		if (Files.isDirectory(output))
			throw new IllegalArgumentException("output " + output + " is a folder; give the .zip file to write");
		Path folder = output.toAbsolutePath().getParent();
		if (folder == null || !Files.isDirectory(folder)) // before the network runs, not after
			throw new IllegalArgumentException("Output folder does not exist: " + folder + "; create it first");
		return output;
	}

	private static boolean sameFile(Path a, Path b) {
		try {
			if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b);
		} catch (IOException e) {
			// fall back to comparing the paths
		}
		return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
	}

	static ModelFile resolveModel(String model) throws IOException {
		if (model == null || model.isBlank())
			throw new IllegalArgumentException("'model' is not set; give a model file written by Imagify Train or a bundled model (" + String.join(", ", BundledModels.NAMES) + ")");
		String m = model.trim();
		if (m.equals(BundledModels.DEFAULT_RGB)) // a bioimage.io package cannot say "rotate RGB to opponent colours first"
			throw new IllegalArgumentException("denoise-rgb restores RGB in opponent colours with two networks (denoise-gray for the luminance), which a bioimage.io package cannot express; export denoise-gray, a grey model");
		if (BundledModels.NAMES.contains(m)) return BundledModels.load(m);
		Path path = Path.of(m);
		if (!Files.exists(path))
			throw new NoSuchFileException(m, null, "model not found: neither a model file nor a bundled model (" + String.join(", ", BundledModels.NAMES) + ")");
		return ModelFile.read(path);
	}

	/** The ONNX opset of the default domain, read from the graph rather than assumed. */
	static int opset(byte[] onnx) throws IOException {
		ModelProto proto;
		try {
			proto = ModelProto.parseFrom(onnx);
		} catch (Exception e) {
			throw new IOException("The model's ONNX graph cannot be read (" + e.getMessage() + ")", e);
		}
		for (OperatorSetIdProto o : proto.getOpsetImportList())
			if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) return (int) o.getVersion();
		throw new IOException("The model's ONNX graph declares no opset for the default domain");
	}

	/**
	 * One space axis: valid tensor sizes {@code min + n*step} with step the model's size multiple along it, and the
	 * halo (its receptive-field radius along it rounded up to even, as bioimage.io requires) cropped from each side of the output.
	 */
	record Axis(int step, int halo, int min) {
		static Axis of(int sizeMultiple, int context) {
			int halo = context + (context % 2);
			int min = Math.max(sizeMultiple, (2 * halo + 1 + sizeMultiple - 1) / sizeMultiple * sizeMultiple); // bioimage.io: min - 2*halo >= 1
			return new Axis(sizeMultiple, halo, min);
		}

		/** The largest valid size up to {@code available} and {@code cap} (or {@link #min} when that is larger); -1 if none fits. */
		int testSize(int available, int cap) {
			int limit = Math.min(available, Math.max(cap, min));
			return limit < min ? -1 : min + (limit - min) / step * step;
		}

		/** The size of a synthetic test image along this axis: the cap, or {@link #min} when that is larger. */
		int syntheticSize(int cap) {
			return Math.max(cap, min);
		}
	}

	/**
	 * A model's space axes: Y and X alike (the test tensors are square in XY), and for a 3D model Z, with its own
	 * size multiple (1 when the network does not pool Z) and context; {@code cap} is the test tensors' largest edge.
	 */
	record Axes(Axis z, Axis xy, int cap) {
		static Axes of(ModelInfo info) {
			Axis xy = Axis.of(info.sizeMultiple(), info.context());
			return info.is3d() ? new Axes(Axis.of(info.sizeMultipleZ(), info.contextZ()), xy, MAX_TEST_SIZE_3D) : new Axes(null, xy, MAX_TEST_SIZE);
		}

		/** The space axes by id, in the tensors' order: z, y, x for a 3D model, y, x for a 2D one. */
		Map<String, Axis> space() {
			Map<String, Axis> space = new LinkedHashMap<>();
			if (z != null) space.put("z", z);
			space.put("y", xy);
			space.put("x", xy);
			return space;
		}

		/** The test tensors' depth for an image of {@code planes}: 1 for a 2D model; -1 if too few. */
		int testDepth(int planes) {
			return z == null ? 1 : z.testSize(planes, cap);
		}

		/** The test tensors' shape: batch, channel, then z (3D), y, x. */
		int[] tensorShape(int channels, int depth, int size) {
			return z == null ? new int[] { 1, channels, size, size } : new int[] { 1, channels, depth, size, size };
		}

		/** "256x256 pixels", or for a 3D model "64x64 pixels and 64 planes". */
		String extent(int width, int height, int depth) {
			return width + "x" + height + " pixels" + (z == null ? "" : " and " + depth + " planes");
		}
	}

	/** bioimage.io's scale_range: {@code (x - p_low) / (p_high - p_low + eps)}, percentiles as numpy's default (linear). */
	static FloatImage scaleRange(FloatImage image, double lowPercentile, double highPercentile) {
		float[] sorted = image.data().clone();
		Arrays.sort(sorted);
		double lo = percentile(sorted, lowPercentile), hi = percentile(sorted, highPercentile);
		// Imagify keeps flat images as they are; bioimage.io would divide by eps: refuse rather than disagree
		if (!(hi - lo > 1e-6 * Math.max(1, Math.abs(lo))))
			throw new IllegalArgumentException("The test image is flat between its " + lowPercentile + " and " + highPercentile
					+ " percentiles; give a test_image with contrast");
		FloatImage out = image.copy();
		float[] d = out.data();
		double scale = 1.0 / (hi - lo + EPS);
		for (int i = 0; i < d.length; i++) d[i] = (float) ((d[i] - lo) * scale);
		return out;
	}

	static double percentile(float[] sorted, double p) {
		double pos = p / 100.0 * (sorted.length - 1);
		int i = (int) Math.floor(pos);
		if (i >= sorted.length - 1) return sorted[sorted.length - 1];
		return sorted[i] + (pos - i) * (sorted[i + 1] - (double) sorted[i]);
	}

	/** A 2D model's test image is the file's first plane; a 3D model's the Z-stack of its first channel and time point. */
	private static FloatVolume readTestImage(Path path, ModelInfo info, Axes axes) throws IOException {
		ImagePlus imp = ImageFiles.read(path);
		int channels = ImagePlusImages.channelsPerPlane(imp);
		if (channels != info.channels())
			throw new IllegalArgumentException("test_image " + path.getFileName() + " has " + channels + " channel(s) per plane; model '" + info.name()
					+ "' expects " + info.channels() + "; give a " + (info.channels() == 3 ? "RGB" : "grey") + " test_image");
		FloatVolume volume;
		if (!info.is3d()) {
			volume = FloatVolume.ofPlanes(ImagePlusImages.plane(imp, 1), 1);
		} else {
			if (imp.getNSlices() < 2) // Restorer.checkDepth's wording, which restoring such an image with the model gives
				throw new IllegalArgumentException("test_image " + path.getFileName() + " has a single Z plane" + (imp.getStackSize() > 1 ? " per channel and time point" : "")
						+ "; model '" + info.name() + "' is a 3D model: it restores Z-stacks, not single planes; give a Z-stack of at least " + axes.z().min()
						+ " planes as test_image" + (imp.getStackSize() > 1 ? " (if its planes are Z planes, set them as slices in Image > Properties)" : ""));
			volume = zStack(imp);
		}
		for (float v : volume.data())
			if (!Float.isFinite(v)) throw new IllegalArgumentException("test_image " + path.getFileName() + " has NaN or infinite pixels; replace them first");
		return volume;
	}

	/** The Z planes of the first channel and time point, as Imagify Denoise reads the volumes it restores. */
	private static FloatVolume zStack(ImagePlus imp) {
		ImageStack stack = imp.getStack();
		List<PlaneView> planes = new ArrayList<>(imp.getNSlices());
		for (int z = 1; z <= imp.getNSlices(); z++) planes.add(ImagePlusImages.view(stack.getProcessor(imp.getStackIndex(1, z, 1))));
		// the planes one below the other, read channel by channel: the CDHW order of a volume
		FloatImage stacked = Tiling.extract(PlaneView.stacked(planes), 0, 0, planes.size() * imp.getHeight(), imp.getWidth());
		return new FloatVolume(stacked.channels(), planes.size(), imp.getHeight(), imp.getWidth(), stacked.data());
	}

	/**
	 * Blobs of several sizes (balls in a volume) and two bright rectangles (columns through a volume's planes) on the
	 * 0..255 scale, degraded the way the model was trained, at the middle of its trained strengths; seeded, so exports
	 * repeat. A 2D model's is one plane, drawn from the same random numbers as before volumes existed.
	 */
	static FloatVolume syntheticTestImage(ModelInfo info, Axes axes) {
		int size = axes.xy().syntheticSize(axes.cap()), depth = axes.z() == null ? 1 : axes.z().syntheticSize(axes.cap());
		Random rng = new Random(42);
		FloatVolume clean = new FloatVolume(info.channels(), depth, size, size);
		for (int c = 0; c < info.channels(); c++) {
			double[][] blobs = new double[16][]; // x, y, radius, height, z
			for (int i = 0; i < blobs.length; i++)
				blobs[i] = new double[] { rng.nextDouble() * size, rng.nextDouble() * size, 3 + rng.nextDouble() * size / 12, 60 + rng.nextDouble() * 140,
						depth > 1 ? rng.nextDouble() * depth : 0 };
			for (int z = 0; z < depth; z++)
				for (int y = 0; y < size; y++)
					for (int x = 0; x < size; x++) {
						double v = 25;
						if (x > size / 8 && x < size / 3 && y > size / 2 && y < 7 * size / 8) v += 90 - 30 * c;
						if (x > 5 * size / 8 && x < 7 * size / 8 && y > size / 8 && y < size / 3) v += 60 + 30 * c;
						for (double[] b : blobs) {
							double d2 = (x - b[0]) * (x - b[0]) + (y - b[1]) * (y - b[1]) + (z - b[4]) * (z - b[4]);
							v += b[3] * Math.exp(-d2 / (2 * b[2] * b[2]));
						}
						clean.set(c, z, y, x, (float) Math.min(255, v));
					}
		}
		try {
			DegradationSpec s = DegradationSpec.fromMap(info.degradation());
			double blur = (s.blurSigmaMin() + s.blurSigmaMax()) / 2, noise = (s.noiseSigmaMin() + s.noiseSigmaMax()) / 2;
			DegradationSpec middle = new DegradationSpec(s.type(), blur, blur, noise, noise, s.poissonPeak(), s.factor());
			// the model file does not record a 3D blur's sigma across planes: the volume is blurred in X and Y only
			if (info.is3d()) return VolumeDegradations.of(middle, "").apply(clean, 255, rng);
			FloatImage degraded = middle.toDegradation().apply(clean.asPlanes(), 255, rng);
			return degraded.sameShape(clean.asPlanes()) ? FloatVolume.ofPlanes(degraded, 1) : clean;
		} catch (IllegalArgumentException e) {
			return clean; // a model without (known) degradation metadata still gets a test image
		}
	}

	/** A name bioimage.io accepts: letters, digits, "_- ()", 5 to 64 characters. */
	static String rdfName(String modelName) {
		String name = ("Imagify " + modelName).replaceAll("[^A-Za-z0-9_\\- ()]", "-");
		return name.length() > 64 ? name.substring(0, 64).trim() : name;
	}

	private static List<String> channelNames(int channels) {
		if (channels == 1) return List.of("gray");
		if (channels == 3) return List.of("red", "green", "blue");
		List<String> names = new ArrayList<>();
		for (int c = 0; c < channels; c++) names.add("channel" + c);
		return names;
	}

	private static List<String> tags(ModelInfo info) {
		List<String> tags = new ArrayList<>(List.of("imagify", "restoration"));
		Object type = info.degradation().get("type");
		String task = type == null ? null : switch (type.toString()) {
			case DegradationSpec.GAUSSIAN_NOISE, DegradationSpec.POISSON_NOISE, "noise2void", "noise2noise", "neighbor2neighbor" -> "denoising"; // self-supervised: TrainingMethod's keys
			case DegradationSpec.GAUSSIAN_BLUR -> "deblurring";
			case DegradationSpec.DOWNSCALE -> "super-resolution";
			default -> null;
		};
		if (task != null) tags.add(task);
		tags.addAll(List.of("unet", info.is3d() ? "3d" : "2d", "onnx", info.channels() == 3 ? "rgb" : "grayscale"));
		return tags;
	}

	private static Map<String, Object> rdf(String name, ModelInfo info, Axes axes, int opset, List<String> authors, String license,
			Map<String, byte[]> files) {
		Map<String, Object> rdf = new LinkedHashMap<>();
		rdf.put("format_version", FORMAT_VERSION);
		rdf.put("type", "model");
		rdf.put("name", name);
		String description = info.description().isBlank() ? "Imagify U-Net image restoration model '" + info.name() + "'" : info.description();
		rdf.put("description", description.length() > 1000 ? description.substring(0, 1000) : description);
		rdf.put("authors", authors.stream().map(a -> Map.of("name", a)).toList());
		rdf.put("cite", List.of(
				cite("Ronneberger, Fischer and Brox: U-Net: Convolutional Networks for Biomedical Image Segmentation. MICCAI 2015", "10.1007/978-3-319-24574-4_28"),
				cite("Weigert et al.: Content-aware image restoration: pushing the limits of fluorescence microscopy. Nature Methods 2018 (percentile normalisation)",
						"10.1038/s41592-018-0216-7")));
		rdf.put("license", license);
		rdf.put("tags", tags(info));
		rdf.put("documentation", README);
		rdf.put("covers", List.of(COVER));
		rdf.put("git_repo", "https://github.com/imagify/imagify");
		rdf.put("attachments", List.of(file(LICENSE, files), file(METADATA, files)));
		rdf.put("timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());

		List<String> channels = channelNames(info.channels());
		Map<String, Object> input = new LinkedHashMap<>();
		input.put("id", "input");
		String image = info.is3d() ? "Z-stack" : "image";
		input.put("description", (info.channels() == 3 ? "RGB" : info.channels() == 1 ? "Grey" : info.channels() + "-channel")
				+ " " + image + " in its own intensity units, percentile-normalised by the preprocessing");
		input.put("axes", axes(channels, axes, BioimageioExport::inputSpace));
		input.put("test_tensor", file(TEST_INPUT, files));
		input.put("data", Map.of("type", "float32"));
		Map<String, Object> scaleRange = new LinkedHashMap<>();
		List<String> measured = new ArrayList<>(List.of("channel"));
		measured.addAll(axes.space().keySet());
		scaleRange.put("axes", measured); // per sample, all channels (and a Z-stack's planes) together, as Imagify measures
		scaleRange.put("min_percentile", info.normalization().lowPercentile());
		scaleRange.put("max_percentile", info.normalization().highPercentile());
		scaleRange.put("eps", EPS);
		input.put("preprocessing", List.of(ordered("id", "scale_range", "kwargs", scaleRange)));

		Map<String, Object> output = new LinkedHashMap<>();
		output.put("id", "output");
		output.put("description", "Restored " + image + " in normalised units: the input's " + fmt(info.normalization().lowPercentile()) + " and "
				+ fmt(info.normalization().highPercentile()) + " percentiles map to 0 and 1");
		output.put("axes", axes(channels, axes, BioimageioExport::outputSpace));
		output.put("test_tensor", file(TEST_OUTPUT, files));
		output.put("data", Map.of("type", "float32"));

		rdf.put("inputs", List.of(input));
		rdf.put("outputs", List.of(output));
		Map<String, Object> onnx = file(WEIGHTS, files);
		onnx.put("opset_version", opset);
		rdf.put("weights", Map.of("onnx", onnx));
		return rdf;
	}

	private static Map<String, Object> cite(String text, String doi) {
		return ordered("text", text, "doi", doi);
	}

	private static Map<String, Object> channelAxis(List<String> names) {
		return ordered("type", "channel", "channel_names", names);
	}

	/** batch, channel, then each space axis as {@code space} describes it. */
	private static List<Map<String, Object>> axes(List<String> channels, Axes axes, BiFunction<String, Axis, Map<String, Object>> space) {
		List<Map<String, Object>> list = new ArrayList<>(List.of(Map.of("type", "batch"), channelAxis(channels)));
		axes.space().forEach((id, axis) -> list.add(space.apply(id, axis)));
		return list;
	}

	private static Map<String, Object> inputSpace(String id, Axis axis) {
		Map<String, Object> a = ordered("type", "space", "id", id);
		a.put("size", ordered("min", axis.min(), "step", axis.step()));
		return a;
	}

	private static Map<String, Object> outputSpace(String id, Axis axis) {
		Map<String, Object> a = ordered("type", "space", "id", id);
		a.put("size", ordered("tensor_id", "input", "axis_id", id));
		if (axis.halo() > 0) a.put("halo", axis.halo()); // bioimage.io: a halo needs a size reference, and is at least 1
		return a;
	}

	private static Map<String, Object> file(String entry, Map<String, byte[]> files) {
		return ordered("source", entry, "sha256", sha256(files.get(entry)));
	}

	private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put(k1, v1);
		m.put(k2, v2);
		return m;
	}

	static String fmt(double percentile) {
		String s = percentile == Math.rint(percentile) ? Long.toString((long) percentile) : Double.toString(percentile);
		return s + (s.endsWith("1") && !s.endsWith("11") ? "st" : s.endsWith("2") && !s.endsWith("12") ? "nd" : s.endsWith("3") && !s.endsWith("13") ? "rd" : "th");
	}

	static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	/** One zip, written atomically: a crash leaves no half-written package. */
	private static void writeZip(Path output, String rdf, Map<String, byte[]> files) throws IOException {
		AtomicFiles.write(output, temp -> {
			try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(temp))) {
				put(zip, RDF, rdf.getBytes(StandardCharsets.UTF_8));
				for (Map.Entry<String, byte[]> f : files.entrySet()) put(zip, f.getKey(), f.getValue());
			}
		});
	}

	private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
		zip.putNextEntry(new ZipEntry(name));
		zip.write(content);
		zip.closeEntry();
	}
}
