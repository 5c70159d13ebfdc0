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
		Object dims = network.get(DIMS);
		if (dims != null && !dims.toString().matches("[23](\\.0)?"))
			throw new IllegalArgumentException("model " + DIMS + " must be absent, 2 or 3, got '" + dims + "'");
	}

	/** Network key of a 3D model: 3 (absent or 2 for a 2D one). Written by the trainer with the U-Net spec. */
	public static final String DIMS = "dims";
	/** Network key of a 3D model: whether its poolings halve Z too (true), or only Y and X (false, for anisotropic stacks). */
	public static final String POOL_Z = "pool_z";

	/** Whether the network is 3D: it restores Z-stacks as volumes (NCDHW tiles), not plane by plane. */
	public boolean is3d() {
		Object dims = network.get(DIMS);
		return dims != null && dims.toString().startsWith("3");
	}

	/** Whether a 3D network pools Z as well as Y and X; absent means it does (an isotropic 3D U-Net). */
	public boolean poolsZ() {
		Object poolZ = network.get(POOL_Z);
		return is3d() && (poolZ == null || Boolean.parseBoolean(poolZ.toString()));
	}

	/** Input depths must be multiples of this: {@link #sizeMultiple()} when the network pools Z, else 1 (also for 2D). */
	public int sizeMultipleZ() {
		return poolsZ() ? sizeMultiple : 1;
	}

	/**
	 * Receptive-field radius in Z, in planes: 0 for a 2D network; {@link #context()} for one that pools Z, whose
	 * 3x3x3 convolutions, 2x2x2 poolings and 2x2x2 up-convolutions act on Z as on Y and X; for one that leaves Z
	 * unpooled, one plane per 3x3x3 convolution on the longest path (two per encoder level, two in the bottleneck,
	 * two per decoder level, and the refinement convolutions), since its 1x2x2 poolings and up-convolutions do not
	 * widen it in Z.
	 */
	public int contextZ() {
		if (!is3d()) return 0;
		if (poolsZ()) return context;
		Object depth = network.get(UNetSpec.DEPTH), refine = network.get(UNetSpec.REFINE_CONVS);
		if (depth == null)
			throw new IllegalArgumentException("3D model '" + name + "' does not say its network's depth, which its Z context follows; use a model written by Imagify Train");
		return 4 * (int) Double.parseDouble(depth.toString()) + 2 + (refine == null ? 0 : (int) Double.parseDouble(refine.toString()));
	}

	/** 2: the network restores planes (NCHW); 3: volumes (NCDHW). */
	public int dims() {
		return is3d() ? 3 : 2;
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
