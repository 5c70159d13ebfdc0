package io.github.imagify.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * U-Net hyper-parameters, following the paper's recipe: 3x3 convolutions with same padding and ReLU,
 * 2x2 max-pooling, 2x2 stride-2 transposed convolutions, concatenated skips, dropout on the bottleneck,
 * an input-scaling layer, MSE loss and Adam.
 * <p>
 * The spec is the single source of truth for a model's shape: {@link UNet#build} turns it into a DL4J
 * graph, {@link #toMap()} stores it beside the weights, and the tiling code asks it for
 * {@link #sizeMultiple()} and {@link #receptiveFieldRadius()} (a 3D model's Z: {@link #sizeMultipleZ()},
 * {@link #receptiveFieldRadiusZ()}).
 *
 * @param channels image channels in and out (1..4)
 * @param depth number of poolings (1..5)
 * @param baseFilters filters of the first level, doubled at every level (1..256)
 * @param dropout probability of DROPPING a bottleneck activation while training, in [0, 1)
 * @param residual whether the net predicts the degradation and subtracts it from the (scaled) input
 * @param inputScale factor applied to the input by the first layer (&gt; 0)
 * @param condition  null for a blind model; {@value #BLUR_SIGMA}: the model is told the degradation's strength in
 *                   one more input channel that holds that value everywhere (a non-blind model, e.g. told the blur
 *                   sigma that Richardson-Lucy is told); {@value #LUMINANCE}: the model restores an opponent colour
 *                   difference of an RGB image and is given the noisy luminance in one more input channel. Either
 *                   way it restores only the image channels
 * @param refineConvs extra 3x3 convolutions (base filters, ReLU) at full resolution after the last decoder level,
 *                   before the head (0..16): more capacity where fine detail is restored, for a quarter of the
 *                   network's time per four of them at the default shape
 * @param topSkip    whether the decoder's last level concatenates the encoder's full-resolution features (the U-Net's
 *                   top skip connection); without it (N2V2, Höck et al. 2022) every output pixel passes through the
 *                   pooled levels, which removes the checkerboard artefacts Noise2Void's blind spots leave
 * @param blurPool   whether each encoder pooling is N2V2's max blur pool (Höck et al. 2022, after Zhang 2019) instead of
 *                   the 2x2 stride-2 max-pooling: a 2x2 max-pool with stride 1, then a fixed, untrained 3x3 binomial
 *                   blur ([1,2,1] x [1,2,1] / 16, each channel alone) with stride 2, both padded at the bottom and right
 *                   as N2V2's TensorFlow code ("same"). Low-pass filtering before subsampling is N2V2's other fix for
 *                   checkerboard artefacts
 * @param dims       2: the network restores planes (NCHW); 3: it restores Z-stacks as volumes (NCDHW), with 3x3x3
 *                   convolutions (a blind model only: no condition)
 * @param poolZ      3D only: whether pooling and up-sampling halve and double Z as well as X and Y (2x2x2), or X and Y
 *                   only (1x2x2, for stacks with few or coarsely spaced slices); false for 2D
 */
public record UNetSpec(int channels, int depth, int baseFilters, double dropout, boolean residual, double inputScale,
		String condition, int refineConvs, boolean topSkip, boolean blurPool, int dims, boolean poolZ) {

	public static final String CHANNELS = "channels";
	public static final String DEPTH = "depth";
	public static final String BASE_FILTERS = "base_filters";
	public static final String DROPOUT = "dropout";
	public static final String RESIDUAL = "residual";
	public static final String INPUT_SCALE = "input_scale";
	public static final String CONDITION = "condition";
	public static final String REFINE_CONVS = "refine_convs";
	public static final String TOP_SKIP = "top_skip";
	public static final String BLUR_POOL = "blur_pool";
	public static final String DIMS = "dims";
	public static final String POOL_Z = "pool_z";
	public static final int MAX_REFINE_CONVS = 16;
	/** Condition: the Gaussian blur sigma in pixels. */
	public static final String BLUR_SIGMA = "blur_sigma";
	/** Condition: the noisy opponent luminance, beside a colour-difference plane (the Train key luminance_guide). */
	public static final String LUMINANCE = "luminance";
	public static final java.util.List<String> CONDITIONS = java.util.List.of(BLUR_SIGMA, LUMINANCE);

	public UNetSpec {
		if (channels < 1 || channels > 4)
			throw new IllegalArgumentException(CHANNELS + " must be in 1..4, got " + channels);
		if (depth < 1 || depth > 5)
			throw new IllegalArgumentException(DEPTH + " must be in 1..5, got " + depth);
		if (baseFilters < 1 || baseFilters > 256)
			throw new IllegalArgumentException(BASE_FILTERS + " must be in 1..256, got " + baseFilters);
		if (!(dropout >= 0 && dropout < 1))
			throw new IllegalArgumentException(DROPOUT + " must be in [0, 1), got " + dropout);
		if (!(inputScale > 0) || Double.isInfinite(inputScale))
			throw new IllegalArgumentException(INPUT_SCALE + " must be a finite number > 0, got " + inputScale);
		if (condition != null && !CONDITIONS.contains(condition))
			throw new IllegalArgumentException(CONDITION + " must be absent or one of " + CONDITIONS + ", got '" + condition + "'");
		if (refineConvs < 0 || refineConvs > MAX_REFINE_CONVS)
			throw new IllegalArgumentException(REFINE_CONVS + " must be in 0.." + MAX_REFINE_CONVS + ", got " + refineConvs);
		if (dims != 2 && dims != 3)
			throw new IllegalArgumentException(DIMS + " must be 2 (planes) or 3 (volumes), got " + dims);
		if (dims == 2 && poolZ)
			throw new IllegalArgumentException(POOL_Z + " applies to 3D models only (dims 3); leave it out for 2D");
		if (dims == 3 && blurPool) throw new IllegalArgumentException(BLUR_POOL + " is not available for 3D models (dims 3)");
		if (dims == 3 && condition != null) // the residual would need a channel subset of a 5D tensor, which DL4J's SubsetVertex lacks
			throw new IllegalArgumentException(CONDITION + " '" + condition + "' is not supported for 3D models (dims 3): train a blind model");
	}

	/** A 2D spec. */
	public UNetSpec(int channels, int depth, int baseFilters, double dropout, boolean residual, double inputScale, String condition, int refineConvs,
			boolean topSkip, boolean blurPool) {
		this(channels, depth, baseFilters, dropout, residual, inputScale, condition, refineConvs, topSkip, blurPool, 2, false);
	}

	/** A 2D spec with max-pooling (no blur pool). */
	public UNetSpec(int channels, int depth, int baseFilters, double dropout, boolean residual, double inputScale, String condition, int refineConvs,
			boolean topSkip) {
		this(channels, depth, baseFilters, dropout, residual, inputScale, condition, refineConvs, topSkip, false);
	}

	/** A spec with the top skip connection. */
	public UNetSpec(int channels, int depth, int baseFilters, double dropout, boolean residual, double inputScale, String condition, int refineConvs) {
		this(channels, depth, baseFilters, dropout, residual, inputScale, condition, refineConvs, true);
	}

	/** A spec without refinement convolutions. */
	public UNetSpec(int channels, int depth, int baseFilters, double dropout, boolean residual, double inputScale, String condition) {
		this(channels, depth, baseFilters, dropout, residual, inputScale, condition, 0, true);
	}

	/** A blind model's spec. */
	public UNetSpec(int channels, int depth, int baseFilters, double dropout, boolean residual, double inputScale) {
		this(channels, depth, baseFilters, dropout, residual, inputScale, null, 0, true);
	}

	/** This spec told {@code condition} (null: blind). */
	public UNetSpec withCondition(String condition) {
		return new UNetSpec(channels, depth, baseFilters, dropout, residual, inputScale, condition, refineConvs, topSkip, blurPool, dims, poolZ);
	}

	/** This spec with {@code refineConvs} refinement convolutions. */
	public UNetSpec withRefineConvs(int refineConvs) {
		return new UNetSpec(channels, depth, baseFilters, dropout, residual, inputScale, condition, refineConvs, topSkip, blurPool, dims, poolZ);
	}

	/** This spec with or without the top skip connection. */
	public UNetSpec withTopSkip(boolean topSkip) {
		return new UNetSpec(channels, depth, baseFilters, dropout, residual, inputScale, condition, refineConvs, topSkip, blurPool, dims, poolZ);
	}

	/** This spec with N2V2's max blur pool or plain max-pooling. */
	public UNetSpec withBlurPool(boolean blurPool) {
		return new UNetSpec(channels, depth, baseFilters, dropout, residual, inputScale, condition, refineConvs, topSkip, blurPool, dims, poolZ);
	}

	/**
	 * This spec for planes ({@code dims} 2, {@code poolZ} false) or volumes ({@code dims} 3, pooling in Z when
	 * {@code poolZ}).
	 */
	public UNetSpec withDims(int dims, boolean poolZ) {
		return new UNetSpec(channels, depth, baseFilters, dropout, residual, inputScale, condition, refineConvs, topSkip, blurPool, dims, poolZ);
	}

	/** Whether the network restores volumes (NCDHW) rather than planes (NCHW). */
	public boolean is3d() {
		return dims == 3;
	}

	/** Whether decoder level {@code level} concatenates the encoder's features of that level (all do but the top without a top skip). */
	public boolean skips(int level) {
		return level > 0 || topSkip;
	}

	/** Input channels: the image's, and one more holding the condition's value when there is one. */
	public int inputChannels() {
		return channels + (condition == null ? 0 : 1);
	}

	/**
	 * The defaults: depth 3, 32 base filters, dropout 0.1, residual, input scale 1 (our data arrives
	 * percentile-normalised, so the paper's input scaling is an identity by default).
	 */
	public static UNetSpec defaults(int channels) {
		return new UNetSpec(channels, 3, 32, 0.1, true, 1.0);
	}

	/** 2^depth: input height and width must be multiples of it so that pooling and up-sampling line up. */
	public int sizeMultiple() {
		return 1 << depth;
	}

	/** What the input depth (Z) must be a multiple of: 2^depth when pooling acts in Z, else 1 (any depth; 1 for 2D). */
	public int sizeMultipleZ() {
		return poolZ ? sizeMultiple() : 1;
	}

	/** Filters at level {@code level} (0 = full resolution, depth = bottleneck). */
	public int filters(int level) {
		return baseFilters << level;
	}

	/**
	 * Exact radius, in pixels, of the receptive field of one output pixel: a tile with this much context
	 * on every side gives the same output as the full image, provided the tile's origin is a multiple of
	 * {@link #sizeMultiple()} in the full image (so its pooling grid lines up with the full image's).
	 * <p>
	 * Walks the layers backwards from an output pixel, mapping the interval of positions it depends on
	 * through every layer (3x3 conv: widen by one; 2x2/2 pool: [2a, 2b+1], a blur pool [2a, 2b+3]; 2x2/2 deconv: [a/2, b/2];
	 * refinement 3x3 convs: widen by one each; 1x1 head: unchanged), taking the union over the skip and residual paths
	 * (the top skip's path lies inside the deeper ones', so dropping it leaves the radius as it is). Pooling makes the field
	 * depend on the pixel's phase modulo 2^depth, so every phase is walked and the largest one-sided
	 * extent is returned.
	 */
	public int receptiveFieldRadius() {
		return radius(true, sizeMultiple());
	}

	/**
	 * The receptive field's radius in Z, in slices, as {@link #receptiveFieldRadius()} is in X and Y: the same with
	 * pooling in Z; without it, pooling and up-sampling leave Z alone and only the 3x3x3 convolutions widen it, one
	 * slice each. 0 for 2D.
	 */
	public int receptiveFieldRadiusZ() {
		if (!is3d()) return 0;
		return radius(poolZ, sizeMultipleZ());
	}

	/** The largest one-sided extent over every pooling phase, along an axis that is pooled or not. */
	private int radius(boolean pooled, int phases) {
		int radius = 0;
		for (int y = 0; y < phases; y++) {
			long[] in = new ReceptiveField(depth, refineConvs, blurPool, pooled).ofOutput(y);
			radius = (int) Math.max(radius, Math.max(y - in[0], in[1] - y));
		}
		return radius;
	}

	/**
	 * Number of parameters, computed from the architecture (equals the DL4J graph's numParams): the trained ones and a
	 * blur pool's fixed 3x3 kernel per channel, which the graph and the ONNX file hold as weights too.
	 */
	public long parameterCount() {
		long n = 0;
		long in = inputChannels();
		int k3 = is3d() ? 27 : 9, up = is3d() && poolZ ? 8 : 4; // taps of a 3x3(x3) conv and of the 2x2(x2 or x1) transposed conv
		for (int l = 0; l < depth; l++) {
			n += conv(k3, in, filters(l)) + conv(k3, filters(l), filters(l));
			if (blurPool) n += 9L * filters(l); // depthwise, no bias
			in = filters(l);
		}
		n += conv(k3, in, filters(depth)) + conv(k3, filters(depth), filters(depth));
		for (int l = depth - 1; l >= 0; l--) {
			n += conv(up, filters(l + 1), filters(l));
			n += conv(k3, (skips(l) ? 2L : 1L) * filters(l), filters(l)) + conv(k3, filters(l), filters(l));
		}
		n += refineConvs * conv(k3, filters(0), filters(0));
		return n + conv(1, filters(0), channels);
	}

	/** Parameters of a convolution with {@code taps} kernel positions: weights and biases. */
	private static long conv(int taps, long nIn, long nOut) {
		return (long) taps * nIn * nOut + nOut;
	}

	/** The spec with snake_case keys, for JSON model packages. */
	public Map<String, Object> toMap() {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put(CHANNELS, channels);
		m.put(DEPTH, depth);
		m.put(BASE_FILTERS, baseFilters);
		m.put(DROPOUT, dropout);
		m.put(RESIDUAL, residual);
		m.put(INPUT_SCALE, inputScale);
		if (condition != null) m.put(CONDITION, condition); // absent for blind models, as before conditions existed
		if (refineConvs > 0) m.put(REFINE_CONVS, refineConvs); // absent when none, as before they existed
		if (!topSkip) m.put(TOP_SKIP, false); // absent with it, as before it could be dropped
		if (blurPool) m.put(BLUR_POOL, true); // absent without, as before it existed
		if (is3d()) { // absent for 2D, so 2D model files read as they did before volumes
			m.put(DIMS, dims);
			m.put(POOL_Z, poolZ);
		}
		return m;
	}

	/**
	 * Reads a map written by {@link #toMap()}; numbers may come back as any {@link Number} (JSON parsers
	 * give Double or Long) or as numeric strings. Every key is required: a missing key must not silently
	 * take a default that may have changed since the model was trained. The exceptions are {@value #CONDITION},
	 * {@value #REFINE_CONVS}, {@value #TOP_SKIP}, {@value #BLUR_POOL} and {@value #DIMS}, which models written before they
	 * existed lack and which meant blind, none, with, max-pooling and 2D then; {@value #POOL_Z} is read only for 3D, where
	 * it is required.
	 */
	public static UNetSpec fromMap(Map<String, ?> m) {
		Object condition = m.get(CONDITION);
		int dims = m.get(DIMS) == null ? 2 : intValue(m, DIMS);
		boolean poolZ = dims == 3 ? booleanValue(m, POOL_Z) : m.get(POOL_Z) != null && booleanValue(m, POOL_Z);
		return new UNetSpec(intValue(m, CHANNELS), intValue(m, DEPTH), intValue(m, BASE_FILTERS),
			doubleValue(m, DROPOUT), booleanValue(m, RESIDUAL), doubleValue(m, INPUT_SCALE), condition == null ? null : condition.toString(),
			m.get(REFINE_CONVS) == null ? 0 : intValue(m, REFINE_CONVS), m.get(TOP_SKIP) == null || booleanValue(m, TOP_SKIP),
			m.get(BLUR_POOL) != null && booleanValue(m, BLUR_POOL), dims, poolZ);
	}

	private static Object required(Map<String, ?> m, String key) {
		Object v = m.get(key);
		if (v == null) throw new IllegalArgumentException("U-Net spec: missing key '" + key + "'");
		return v;
	}

	private static double doubleValue(Map<String, ?> m, String key) {
		Object v = required(m, key);
		if (v instanceof Number n) return n.doubleValue();
		try {
			return Double.parseDouble(v.toString().trim());
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException("U-Net spec: '" + key + "' must be a number, got '" + v + "'");
		}
	}

	private static int intValue(Map<String, ?> m, String key) {
		double d = doubleValue(m, key);
		if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE)
			throw new IllegalArgumentException("U-Net spec: '" + key + "' must be an integer, got " + required(m, key));
		return (int) d;
	}

	private static boolean booleanValue(Map<String, ?> m, String key) {
		Object v = required(m, key);
		if (v instanceof Boolean b) return b;
		String s = v.toString().trim();
		if (s.equalsIgnoreCase("true")) return true;
		if (s.equalsIgnoreCase("false")) return false;
		throw new IllegalArgumentException("U-Net spec: '" + key + "' must be true or false, got '" + v + "'");
	}
}
