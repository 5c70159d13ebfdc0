package io.github.imagify.degrade;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A degradation as the user chose it: plain values that can be checked, shown, stored in a model file's
 * JSON metadata (so a model records what it was trained to undo) and turned into a {@link Degradation}.
 * Fields that the type does not use are kept but ignored. Sigma ranges are [min, max]; min == max is fixed.
 *
 * @param type          one of {@link #TYPES}
 * @param blurSigmaMin  Gaussian blur sigma in pixels (gaussian_blur)
 * @param noiseSigmaMin Gaussian noise sigma on the 0..255 scale (gaussian_noise; optional light noise after
 *                      gaussian_blur and downscale when noiseSigmaMax > 0)
 * @param poissonPeak   photons at the top of the range (poisson_noise)
 * @param factor        downscale factor (downscale)
 */
public record DegradationSpec(String type, double blurSigmaMin, double blurSigmaMax, double noiseSigmaMin,
		double noiseSigmaMax, double poissonPeak, int factor) {

	public static final String GAUSSIAN_NOISE = "gaussian_noise";
	public static final String GAUSSIAN_BLUR = "gaussian_blur";
	public static final String POISSON_NOISE = "poisson_noise";
	public static final String DOWNSCALE = "downscale";
	public static final List<String> TYPES = List.of(GAUSSIAN_NOISE, GAUSSIAN_BLUR, POISSON_NOISE, DOWNSCALE);

	private static final String NUMBER = "[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?";
	private static final Pattern SINGLE = Pattern.compile(NUMBER);
	private static final Pattern RANGE = Pattern.compile("(" + NUMBER + ")\\s*-\\s*(" + NUMBER + ")");

	/**
	 * Parses the user's settings. A sigma is one number ("25") or a range "min-max" ("0-55", "0.5-3"); empty or
	 * null means 0. Only the text is checked here; {@link #validate()} checks the values.
	 */
	public static DegradationSpec of(String type, String blurSigma, String noiseSigma, double poissonPeak, int factor) {
		double[] blur = parseSigma("blur_sigma", blurSigma);
		double[] noise = parseSigma("noise_sigma", noiseSigma);
		String t = type == null ? null : type.trim().toLowerCase(Locale.ROOT);
		return new DegradationSpec(t, blur[0], blur[1], noise[0], noise[1], poissonPeak, factor);
	}

	/**
	 * As {@link #of}, with the commands' default for an empty {@code noiseSigma}: 25 for gaussian_noise (the
	 * benchmark level), none for the other types (where noise is an optional extra).
	 */
	public static DegradationSpec withDefaultNoise(String type, String blurSigma, String noiseSigma, double poissonPeak, int factor) {
		boolean empty = noiseSigma == null || noiseSigma.isBlank();
		String noise = empty ? (GAUSSIAN_NOISE.equals(type == null ? null : type.trim().toLowerCase(Locale.ROOT)) ? "25" : "0") : noiseSigma;
		return of(type, blurSigma, noise, poissonPeak, factor);
	}

	/** Throws IllegalArgumentException, naming the setting, if this spec cannot make a degradation. */
	public void validate() {
		toDegradation();
	}

	/** The degradation; the constructors of the parts check the values the type uses. */
	public Degradation toDegradation() {
		if (type == null || !TYPES.contains(type))
			throw new IllegalArgumentException("degradation must be one of " + String.join(", ", TYPES) + ", got '" + type + "'");
		List<Degradation> steps = new ArrayList<>();
		switch (type) {
			case GAUSSIAN_NOISE -> steps.add(new GaussianNoise(noiseSigmaMin, noiseSigmaMax));
			case GAUSSIAN_BLUR -> steps.add(new GaussianBlur(blurSigmaMin, blurSigmaMax));
			case POISSON_NOISE -> steps.add(new PoissonNoise(poissonPeak));
			case DOWNSCALE -> steps.add(new Downscale(factor));
			default -> throw new AssertionError(type);
		}
		if (GAUSSIAN_BLUR.equals(type) || DOWNSCALE.equals(type)) { // optional light sensor noise on top
			Args.checkRange("noise_sigma", noiseSigmaMin, noiseSigmaMax);
			if (noiseSigmaMax > 0) steps.add(new GaussianNoise(noiseSigmaMin, noiseSigmaMax));
		}
		return steps.size() == 1 ? steps.get(0) : new Chain(steps);
	}

	/** Short human text for logs and model descriptions, e.g. "gaussian_noise sigma 0-55 (0..255 scale)". */
	public String describe() {
		String noise = "gaussian_noise sigma " + Args.range(noiseSigmaMin, noiseSigmaMax) + " (0..255 scale)";
		String extraNoise = noiseSigmaMax > 0 ? " + " + noise : "";
		if (type == null) return "unknown degradation";
		return switch (type) {
			case GAUSSIAN_NOISE -> noise;
			case GAUSSIAN_BLUR -> "gaussian_blur sigma " + Args.range(blurSigmaMin, blurSigmaMax) + " px" + extraNoise;
			case POISSON_NOISE -> "poisson_noise peak " + Args.num(poissonPeak);
			case DOWNSCALE -> "downscale x" + factor + extraNoise;
			default -> "unknown degradation '" + type + "'";
		};
	}

	/** Flat map with snake_case keys, for JSON metadata. */
	public Map<String, Object> toMap() {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("type", type);
		m.put("blur_sigma_min", blurSigmaMin);
		m.put("blur_sigma_max", blurSigmaMax);
		m.put("noise_sigma_min", noiseSigmaMin);
		m.put("noise_sigma_max", noiseSigmaMax);
		m.put("poisson_peak", poissonPeak);
		m.put("factor", factor);
		return m;
	}

	/** Reads {@link #toMap()}'s keys back; numbers may be any {@link Number} (or numeric text); missing ones are 0. */
	public static DegradationSpec fromMap(Map<String, ?> m) {
		if (m == null) throw new IllegalArgumentException("degradation metadata is missing");
		Object type = m.get("type");
		double factor = number(m, "factor");
		if (factor != Math.rint(factor) || Math.abs(factor) > Integer.MAX_VALUE)
			throw new IllegalArgumentException("factor must be a whole number, got " + m.get("factor"));
		return new DegradationSpec(type == null ? null : type.toString(), number(m, "blur_sigma_min"), number(m, "blur_sigma_max"),
				number(m, "noise_sigma_min"), number(m, "noise_sigma_max"), number(m, "poisson_peak"), (int) factor);
	}

	private static double number(Map<String, ?> m, String key) {
		Object v = m.get(key);
		if (v == null) return 0;
		if (v instanceof Number n) return n.doubleValue();
		String s = v.toString().trim();
		if (SINGLE.matcher(s).matches()) return Double.parseDouble(s);
		throw new IllegalArgumentException(key + " must be a number, got '" + v + "'");
	}

	/** [min, max] from "25", "0-55" or empty; a lone negative number ("-3") is kept for validate() to report. */
	private static double[] parseSigma(String key, String text) {
		if (text == null || text.isBlank()) return new double[] { 0, 0 };
		String s = text.trim();
		if (SINGLE.matcher(s).matches()) {
			double v = Double.parseDouble(s);
			return new double[] { v, v };
		}
		Matcher r = RANGE.matcher(s);
		if (r.matches()) return new double[] { Double.parseDouble(r.group(1)), Double.parseDouble(r.group(2)) };
		throw new IllegalArgumentException(key + " must be a number (e.g. 25) or a range min-max (e.g. 0-55), got '" + text + "'");
	}
}
