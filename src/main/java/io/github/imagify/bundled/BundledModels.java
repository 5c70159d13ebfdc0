package io.github.imagify.bundled;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

import io.github.imagify.modelfile.ModelFile;

/**
 * The models shipped inside the jar, so restoring works on first use and offline. {@code model} keys
 * name one of these or give the path of a model file.
 */
public final class BundledModels {

	/** Resource folder of the bundled model files, {@code <name>.zip}. */
	static final String FOLDER = "/io/github/imagify/models/";
	public static final String DEFAULT_GRAY = "denoise-gray";
	/**
	 * RGB denoising, the default for RGB images: in opponent colours, the luminance through {@link #DEFAULT_GRAY} and the
	 * colour differences through this network, told the noisy luminance (the Train key luminance_guide; README).
	 */
	public static final String DEFAULT_RGB = "denoise-rgb";
	/** Gaussian blur 0.5..3 px with light noise, told the blur sigma (Denoise's blur_sigma); only used when named. */
	public static final String DEBLUR = "deblur";
	/** The same blur, blind: for images whose blur is not known; only used when named. */
	public static final String DEBLUR_BLIND = "deblur-blind";
	public static final List<String> NAMES = List.of(DEFAULT_GRAY, DEFAULT_RGB, DEBLUR, DEBLUR_BLIND);

	private BundledModels() {}

	/**
	 * Resolves a {@code model} value: empty means the grey denoiser, a bundled name loads from the jar, anything else is
	 * a file path.
	 */
	public static ModelFile resolve(String model) throws IOException {
		String name = nameFor(model);
		return NAMES.contains(name) ? load(name) : ModelFile.read(Path.of(name));
	}

	/** The bundled name or the path a {@code model} value stands for, for grey images when it is empty. */
	public static String nameFor(String model) {
		return nameFor(model, 1);
	}

	/** The bundled name or the path a {@code model} value stands for; empty: the denoiser for images of {@code channels}. */
	public static String nameFor(String model, int channels) {
		if (model == null || model.isBlank()) return channels == 3 ? DEFAULT_RGB : DEFAULT_GRAY;
		return model.trim();
	}

	public static ModelFile load(String name) throws IOException {
		try (InputStream in = BundledModels.class.getResourceAsStream(FOLDER + name + ".zip")) {
			if (in == null)
				throw new IOException("The bundled model '" + name + "' is missing from this Imagify build; reinstall Imagify or pass model=<file>");
			return ModelFile.read(in, "bundled model '" + name + "'");
		}
	}
}
