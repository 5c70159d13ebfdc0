package io.github.imagify.blindspot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Noise2Void's masking settings, as the Train keys give them (Krull et al., CVPR 2019; N2V2, Höck et al. 2022;
 * structN2V, Broaddus et al. 2020). Each patch channel gets about {@code maskedFraction} of its pixels masked, one per
 * cell of a square grid at a random place in it (stratified, so masked pixels never crowd); a masked pixel's input is
 * replaced by a random other pixel of its {@code neighbourhood} x {@code neighbourhood} window ({@value #UNIFORM}), or
 * by their median ({@value #MEDIAN}, N2V2's fix for checkerboard artefacts). With a struct mask (structN2V), the
 * {@code structSpan} pixels on the masked pixel's row ({@value #HORIZONTAL}) or column ({@value #VERTICAL}) are replaced
 * by random values too, so noise correlated along that line (sCMOS stripes) cannot give the masked pixel's noise away.
 *
 * @param maskedFraction share of each patch channel's pixels that are masked and scored (N2V's default: about 0.2 %)
 * @param neighbourhood  odd side of the window a replacement comes from
 * @param replacement    {@value #UNIFORM} or {@value #MEDIAN}
 * @param structMask     {@value #NONE}, {@value #HORIZONTAL} or {@value #VERTICAL}
 * @param structSpan     odd length of the struct mask's line, centred on the masked pixel
 */
public record BlindSpotMasking(double maskedFraction, int neighbourhood, String replacement, String structMask, int structSpan) {

	public static final String UNIFORM = "uniform", MEDIAN = "median";
	public static final String NONE = "none", HORIZONTAL = "horizontal", VERTICAL = "vertical";
	/** The keys, as the Train command and the model file's record name them. */
	public static final String MASKED_FRACTION = "masked_fraction", MASK_NEIGHBOURHOOD = "mask_neighbourhood",
			MASK_REPLACEMENT = "mask_replacement", STRUCT_MASK = "struct_mask", STRUCT_MASK_SPAN = "struct_mask_span";
	public static final double DEFAULT_MASKED_FRACTION = 0.002;
	public static final int DEFAULT_NEIGHBOURHOOD = 5, DEFAULT_STRUCT_SPAN = 5;
	static final double MAX_MASKED_FRACTION = 0.1;
	static final int MAX_NEIGHBOURHOOD = 31, MAX_STRUCT_SPAN = 63;

	public static final BlindSpotMasking DEFAULT = new BlindSpotMasking(DEFAULT_MASKED_FRACTION, DEFAULT_NEIGHBOURHOOD, UNIFORM, NONE,
			DEFAULT_STRUCT_SPAN);

	/** Checks each value and names the key that is wrong; the text values are trimmed and lower-cased. */
	public BlindSpotMasking {
		if (!(maskedFraction > 0 && maskedFraction <= MAX_MASKED_FRACTION))
			throw new IllegalArgumentException(MASKED_FRACTION + " must be above 0 and at most " + MAX_MASKED_FRACTION + " (N2V's default is "
					+ DEFAULT_MASKED_FRACTION + ", 0.2 % of the pixels), got " + maskedFraction);
		if (neighbourhood < 3 || neighbourhood > MAX_NEIGHBOURHOOD || neighbourhood % 2 == 0)
			throw new IllegalArgumentException(MASK_NEIGHBOURHOOD + " must be an odd number of pixels from 3 to " + MAX_NEIGHBOURHOOD
					+ " (the side of the window a masked pixel's replacement comes from), got " + neighbourhood);
		replacement = choice(MASK_REPLACEMENT, replacement, List.of(UNIFORM, MEDIAN));
		structMask = choice(STRUCT_MASK, structMask, List.of(NONE, HORIZONTAL, VERTICAL));
		if (structSpan < 3 || structSpan > MAX_STRUCT_SPAN || structSpan % 2 == 0)
			throw new IllegalArgumentException(STRUCT_MASK_SPAN + " must be an odd number of pixels from 3 to " + MAX_STRUCT_SPAN
					+ " (the length of the struct mask's line), got " + structSpan);
	}

	private static String choice(String key, String value, List<String> allowed) {
		String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
		if (!allowed.contains(v))
			throw new IllegalArgumentException(key + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
		return v;
	}

	/** The side of the grid cell that holds one masked pixel: about 1 / sqrt(maskedFraction), 22 at the default. */
	public int gridSpacing() {
		return (int) Math.max(1, Math.round(Math.sqrt(1 / maskedFraction)));
	}

	/** Whether the struct mask blanks a line beside each masked pixel. */
	public boolean structured() {
		return !NONE.equals(structMask);
	}

	/**
	 * Whether an in-plane offset from a masked pixel is the pixel itself or on its struct mask's line, whose noise may be
	 * its own: never a replacement's source.
	 */
	public boolean hides(int dy, int dx) {
		int half = structSpan / 2;
		return switch (structMask) {
			case HORIZONTAL -> dy == 0 && Math.abs(dx) <= half;
			case VERTICAL -> dx == 0 && Math.abs(dy) <= half;
			default -> dy == 0 && dx == 0;
		};
	}

	/** The keys whose values differ from the defaults, for refusing them where masking does not apply. */
	public List<String> keysSet() {
		List<String> keys = new ArrayList<>();
		if (maskedFraction != DEFAULT.maskedFraction) keys.add(MASKED_FRACTION);
		if (neighbourhood != DEFAULT.neighbourhood) keys.add(MASK_NEIGHBOURHOOD);
		if (!replacement.equals(DEFAULT.replacement)) keys.add(MASK_REPLACEMENT);
		if (!structMask.equals(DEFAULT.structMask)) keys.add(STRUCT_MASK);
		if (structSpan != DEFAULT.structSpan) keys.add(STRUCT_MASK_SPAN);
		return keys;
	}

	/** The settings with the keys' names, for the model file's training record and the checkpoint's settings. */
	public Map<String, Object> toMap() {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put(MASKED_FRACTION, maskedFraction);
		m.put(MASK_NEIGHBOURHOOD, neighbourhood);
		m.put(MASK_REPLACEMENT, replacement);
		m.put(STRUCT_MASK, structMask);
		if (structured()) m.put(STRUCT_MASK_SPAN, structSpan);
		return m;
	}

	/** For logs and the model's description, e.g. "0.2 % of pixels masked, replaced by a random pixel of their 5x5 neighbourhood". */
	public String describe() {
		String share = String.format(Locale.ROOT, "%.3g", 100 * maskedFraction).replaceAll("\\.?0+$", "");
		String window = neighbourhood + "x" + neighbourhood;
		return share + " % of pixels masked, replaced by " + (MEDIAN.equals(replacement) ? "the median" : "a random pixel") + " of their " + window
				+ " neighbourhood" + (structured() ? ", " + structMask + " struct mask of " + structSpan + " px" : "");
	}
}
