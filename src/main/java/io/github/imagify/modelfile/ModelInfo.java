package io.github.imagify.modelfile;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.imagify.image.Normalization;
import io.github.imagify.model.UNetSpec;

/**
 * What a model file says about its network, readable without DL4J: everything restoring needs
 * (channels, size multiple, context, normalisation) and a record of how it was trained.
 *
 * @param name          short name, e.g. "denoise-gray"
 * @param description   one line for people
 * @param channels      input and output channels per plane (1 grey, 3 RGB)
 * @param sizeMultiple  input height and width must be multiples of this (2^depth)
 * @param context       receptive-field radius in pixels (X and Y): tiles need this much context to be exact
 * @param normalization percentile normalisation applied before the network and undone after it
 * @param degradation   the degradation it was trained to undo ({@code DegradationSpec.toMap()})
 * @param network       the architecture ({@code UNetSpec.toMap()})
 * @param training      training settings and figures (epochs, losses, validation PSNR, data, time)
 */
public record ModelInfo(String name, String description, int channels, int sizeMultiple, int context,
		Normalization normalization, Map<String, Object> degradation, Map<String, Object> network,
		Map<String, Object> training) {

	public static final String FORMAT = "imagify-model";
	public static final int FORMAT_VERSION = 1;

	public ModelInfo {
		if (name == null || name.isBlank()) throw new IllegalArgumentException("model name is empty");
		if (channels < 1 || channels > 4) throw new IllegalArgumentException("model channels must be 1..4, got " + channels);
		if (sizeMultiple < 1 || sizeMultiple > 1024 || Integer.bitCount(sizeMultiple) != 1)
			throw new IllegalArgumentException("model size multiple must be a power of two up to 1024, got " + sizeMultiple);
		if (context < 0 || context > 4096) throw new IllegalArgumentException("model context must be 0..4096, got " + context);
		description = description == null ? "" : description;
		degradation = Map.copyOf(new LinkedHashMap<>(degradation == null ? Map.of() : degradation));
		network = Map.copyOf(new LinkedHashMap<>(network == null ? Map.of() : network));
		training = Map.copyOf(new LinkedHashMap<>(training == null ? Map.of() : training));
		Object condition = network.get(UNetSpec.CONDITION);
		if (condition != null && !UNetSpec.CONDITIONS.contains(condition))
			throw new IllegalArgumentException("model condition must be absent or one of " + UNetSpec.CONDITIONS + ", got '" + condition + "'");
		Object dims = network.get(UNetSpec.DIMS);
		if (dims != null && !(dims instanceof Number n && (n.doubleValue() == 2 || n.doubleValue() == 3)))
			throw new IllegalArgumentException("model " + UNetSpec.DIMS + " must be absent, 2 or 3, got '" + dims + "'");
	}

	/** 2: the network restores planes (NCHW); 3: volumes (NCDHW, {@code UNetSpec.DIMS} 3 in {@link #network}). */
	public int dims() {
		Object dims = network.get(UNetSpec.DIMS);
		return dims == null ? 2 : ((Number) dims).intValue();
	}

	/** Training record key of a model told the luminance: the model (file or bundled name) that restores the luminance. */
	public static final String LUMINANCE_MODEL = "luminance_model";

	/**
	 * What the model is told beside the image ({@link UNetSpec#BLUR_SIGMA}, {@link UNetSpec#LUMINANCE}), or null for a
	 * blind model: restoring then needs it, and it goes to the network as one more input channel.
	 */
	public String condition() {
		Object condition = network.get(UNetSpec.CONDITION);
		return condition == null ? null : condition.toString();
	}

	/** Channels of the network's input: the image's, and the condition's when there is one. */
	public int inputChannels() {
		return channels + (condition() == null ? 0 : 1);
	}
}
