package io.github.imagify.restore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

import io.github.imagify.modelfile.ModelFile;
import io.github.imagify.modelfile.ModelInfo;

/**
 * The models shipped inside the jar, so restoring works on first use and offline. {@code model} keys
 * name one of these or give the path of a model file.
 */
public final class BundledModels {

	/** Resource folder of the bundled model files, {@code <name>.zip}. */
	static final String FOLDER = "/io/github/imagify/models/";
	public static final String DEFAULT_GRAY = "denoise-gray";
	/**
	 * RGB denoising: {@link #DEFAULT_GRAY}'s network, which restores RGB in opponent colours (measured 1.0-1.5 dB better
	 * than the RGB network that had this name, README), under this name, so that naming it gives the best RGB denoiser.
	 */
	public static final String DEFAULT_RGB = "denoise-rgb";
	/** Gaussian blur 0.5..3 px with light noise, told the blur sigma (Denoise's blur_sigma); only used when named. */
	public static final String DEBLUR = "deblur";
	/** The same blur, blind: for images whose blur is not known; only used when named. */
	public static final String DEBLUR_BLIND = "deblur-blind";
	public static final List<String> NAMES = List.of(DEFAULT_GRAY, DEFAULT_RGB, DEBLUR, DEBLUR_BLIND);

	private BundledModels() {}

	/**
	 * Resolves a {@code model} value: empty means the default denoiser (for grey and RGB images alike),
	 * a bundled name loads from the jar, anything else is a file path.
	 */
	public static ModelFile resolve(String model) throws IOException {
		String name = nameFor(model);
		return NAMES.contains(name) ? load(name) : ModelFile.read(Path.of(name));
	}

	/** The bundled name or the path a {@code model} value stands for. */
	public static String nameFor(String model) {
		// RGB too: the grey model restores it in opponent colours, measured better than the RGB model (README)
		if (model == null || model.isBlank()) return DEFAULT_GRAY;
		return model.trim();
	}

	public static ModelFile load(String name) throws IOException {
		String file = name.equals(DEFAULT_RGB) ? DEFAULT_GRAY : name;
		ModelFile model;
		try (InputStream in = BundledModels.class.getResourceAsStream(FOLDER + file + ".zip")) {
			if (in == null)
				throw new IOException("The bundled model '" + name + "' is missing from this Imagify build; reinstall Imagify or pass model=<file>");
			model = ModelFile.read(in, "bundled model '" + name + "'");
		}
		if (file.equals(name)) return model;
		ModelInfo i = model.info(); // the same network under its RGB name, so the log says what was asked for
		return new ModelFile(new ModelInfo(name, "the " + i.name() + " network for RGB images, in opponent colours: " + i.description(), i.channels(),
				i.sizeMultiple(), i.context(), i.normalization(), i.degradation(), i.network(), i.training()), model.onnx());
	}
}
