package io.github.imagify.imagej.restore;

import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import ij.ImagePlus;
import io.github.imagify.bundled.BundledModels;
import io.github.imagify.image.VolumeTiling;
import io.github.imagify.imagej.ImagePlusImages;
import io.github.imagify.modelfile.ModelFile;
import io.github.imagify.restore.Restorer;

/**
 * The {@code model} key applied image by image: a given model for every image, or, when the key is empty,
 * the bundled denoiser that fits each image's channels (RGB or grey). Each model is loaded once, when first
 * needed, and shared by the images that use it. Thread-safe.
 */
public final class ModelChoice implements AutoCloseable {

	private final String model;
	private final int tileSize;
	private final int threads;
	private final int ensemble;
	private final Double blurSigma;
	/** Models whose use for RGB in opponent colours was logged. */
	private final Set<String> opponentLogged = new HashSet<>();
	private final Consumer<String> log;
	private final Map<String, Restorer> loaded = new LinkedHashMap<>();

	public ModelChoice(String model, int tileSize, int threads, Consumer<String> log) {
		this(model, tileSize, threads, 1, log);
	}

	/** @param ensemble copies of each tile averaged ({@link Restorer#Restorer(ModelFile, int, int, int)}) */
	public ModelChoice(String model, int tileSize, int threads, int ensemble, Consumer<String> log) {
		this(model, tileSize, threads, ensemble, null, log);
	}

	/**
	 * @param blurSigma the images' blur sigma in pixels, for a model told the blur
	 *                  ({@link Restorer#Restorer(ModelFile, int, int, int, Double)}); null when not known
	 */
	public ModelChoice(String model, int tileSize, int threads, int ensemble, Double blurSigma, Consumer<String> log) {
		Restorer.checkEnsemble(ensemble);
		this.model = model;
		this.tileSize = tileSize;
		this.threads = threads;
		this.ensemble = ensemble;
		this.blurSigma = blurSigma;
		this.log = log;
	}

	/** What {@link #describe} says of a 2D model and of a 3D one. */
	public static final String PLANE_BY_PLANE = "2D model: restores each plane on its own",
			VOLUME_BY_VOLUME = "3D model: restores each Z-stack (every channel and time point) as one volume";

	/** What the Denoise dialog says of a {@code model} value before anything runs: plane by plane, or volume by volume. */
	public static String describe(String model) throws IOException {
		return BundledModels.resolve(model).info().is3d() ? VOLUME_BY_VOLUME : PLANE_BY_PLANE;
	}

	/** The restorer for one image. */
	public ImageRestorer forImage(ImagePlus image) throws IOException {
		return new ImageRestorer(forChannels(ImagePlusImages.channelsPerPlane(image)));
	}

	/** The restorer for planes of {@code channels} channels (logs, once, when RGB goes through a grey model). */
	public synchronized Restorer forChannels(int channels) throws IOException {
		String name = BundledModels.nameFor(model, channels);
		Restorer restorer = loaded.get(name);
		if (restorer == null) {
			ModelFile file = BundledModels.resolve(name);
			restorer = new Restorer(file, tileSize, threads, ensemble, blurSigma);
			loaded.put(name, restorer);
			log.accept("model '" + file.info().name() + "' (" + file.info().description() + ")"
					+ (restorer.told() ? ", told blur sigma " + blurSigma + " px" : "")
					+ (ensemble > 1 ? ", self-ensemble of " + ensemble + " mirrored/rotated copies" : ""));
			if (restorer.is3d()) {
				VolumeTiling tiles = restorer.volumeTiling();
				log.accept("3D model: restores each Z-stack as a volume (tiles of " + tiles.z().coreSize() + "x" + tiles.xy().coreSize() + "x" + tiles.xy().coreSize()
						+ " voxels in Z, Y and X, with " + tiles.z().context() + " planes and " + tiles.xy().context() + " pixels of context)");
			}
			if (blurSigma != null && !restorer.told())
				log.accept("model '" + file.info().name() + "' is blind: it is not told the blur sigma");
		}
		if (channels == 3 && restorer.colourThroughOpponent() && opponentLogged.add(name))
			log.accept(restorer.luminanceModel() == null
					? "RGB goes through grey model '" + restorer.info().name() + "' in opponent colours (luminance and colour differences)"
					: "RGB goes through opponent colours: the luminance through grey model '" + restorer.luminanceModel().name()
							+ "', the colour differences through '" + restorer.info().name() + "', told the luminance");
		return restorer;
	}

	@Override
	public synchronized void close() {
		loaded.values().forEach(Restorer::close);
		loaded.clear();
	}
}
