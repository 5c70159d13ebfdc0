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
 * @param noiseFavourLow draw a noise sigma range favouring low sigmas ({@value #FAVOUR_LOW}) instead of uniformly
 *                      ({@value #UNIFORM}), meant to give low sigmas more weight in a blind denoiser's MSE; it did
 *                      not improve the bundled denoiser's fine-tune (README, the Train keys)
 */
public record DegradationSpec(String type, double blurSigmaMin, double blurSigmaMax, double noiseSigmaMin,
		double noiseSigmaMax, double poissonPeak, int factor, boolean noiseFavourLow) {

	public static final String GAUSSIAN_NOISE = "gaussian_noise";
	public static final String GAUSSIAN_BLUR = "gaussian_blur";
	public static final String POISSON_NOISE = "poisson_noise";
	public static final String DOWNSCALE = "downscale";
	public static final List<String> TYPES = List.of(GAUSSIAN_NOISE, GAUSSIAN_BLUR, POISSON_NOISE, DOWNSCALE);
	/** Values of the noise_sigma_draw key. */
	public static final String UNIFORM = "uniform", FAVOUR_LOW = "favour_low";
	private static final String NOISE_DRAW = "noise_sigma_draw";

	private static final String NUMBER = "[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?";
	private static final Pattern SINGLE = Pattern.compile(NUMBER);
	private static final Pattern RANGE = Pattern.compile("(" + NUMBER + ")\\s*-\\s*(" + NUMBER + ")");

	/** A spec with noise sigmas drawn uniformly. */
	public DegradationSpec(String type, double blurSigmaMin, double blurSigmaMax, double noiseSigmaMin, double noiseSigmaMax,
			double poissonPeak, int factor) {
		this(type, blurSigmaMin, blurSigmaMax, noiseSigmaMin, noiseSigmaMax, poissonPeak, factor, false);
	}

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

	/** This spec with the noise_sigma_draw key's value: {@value #UNIFORM} (or empty) or {@value #FAVOUR_LOW}. */
	public DegradationSpec withNoiseDraw(String draw) {
		String d = draw == null || draw.isBlank() ? UNIFORM : draw.trim().toLowerCase(Locale.ROOT);
		if (!d.equals(UNIFORM) && !d.equals(FAVOUR_LOW))
			throw new IllegalArgumentException(NOISE_DRAW + " must be '" + UNIFORM + "' or '" + FAVOUR_LOW + "', got '" + draw + "'");
		return new DegradationSpec(type, blurSigmaMin, blurSigmaMax, noiseSigmaMin, noiseSigmaMax, poissonPeak, factor, d.equals(FAVOUR_LOW));
	}

	/** The blur sigma as a user writes it: "1.5", or "0.5-3" for a range. */
	public String blurRange() {
		return Args.range(blurSigmaMin, blurSigmaMax);
	}

	/** This spec with one blur sigma instead of its range. */
	public DegradationSpec withBlurSigma(double sigma) {
		return new DegradationSpec(type, sigma, sigma, noiseSigmaMin, noiseSigmaMax, poissonPeak, factor, noiseFavourLow);
	}

	/** The Train keys whose values differ from {@code other}'s (degradation, blur_sigma, ...), for naming keys set where they do not apply. */
	public List<String> keysOtherThan(DegradationSpec other) {
		List<String> keys = new ArrayList<>();
		if (!java.util.Objects.equals(type, other.type)) keys.add("degradation");
		if (blurSigmaMin != other.blurSigmaMin || blurSigmaMax != other.blurSigmaMax) keys.add("blur_sigma");
		if (noiseSigmaMin != other.noiseSigmaMin || noiseSigmaMax != other.noiseSigmaMax) keys.add("noise_sigma");
		if (noiseFavourLow != other.noiseFavourLow) keys.add(NOISE_DRAW);
		if (poissonPeak != other.poissonPeak) keys.add("poisson_peak");
		if (factor != other.factor) keys.add("factor");
		return keys;
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
			case GAUSSIAN_NOISE -> steps.add(new GaussianNoise(noiseSigmaMin, noiseSigmaMax, noiseFavourLow));
			case GAUSSIAN_BLUR -> steps.add(new GaussianBlur(blurSigmaMin, blurSigmaMax));
			case POISSON_NOISE -> steps.add(new PoissonNoise(poissonPeak));
			case DOWNSCALE -> steps.add(new Downscale(factor));
			default -> throw new AssertionError(type);
		}
		if (GAUSSIAN_BLUR.equals(type) || DOWNSCALE.equals(type)) { // optional light sensor noise on top
			Args.checkRange("noise_sigma", noiseSigmaMin, noiseSigmaMax);
			if (noiseSigmaMax > 0) steps.add(new GaussianNoise(noiseSigmaMin, noiseSigmaMax, noiseFavourLow));
		}
		return steps.size() == 1 ? steps.get(0) : new Chain(steps);
	}

	/** Short human text for logs and model descriptions, e.g. "gaussian_noise sigma 0-55 (0..255 scale)". */
	public String describe() {
		String noise = describeNoise(noiseSigmaMin, noiseSigmaMax, noiseFavourLow);
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

	/** "gaussian_noise sigma 0-55 (0..255 scale)", noting a draw that favours low sigmas. */
	static String describeNoise(double min, double max, boolean favourLow) {
		return "gaussian_noise sigma " + Args.range(min, max) + " (0..255 scale" + (favourLow && min != max ? ", low sigmas favoured)" : ")");
	}

	/** Flat map with snake_case keys, for JSON metadata; noise_sigma_draw only when not uniform, as before it existed. */
	public Map<String, Object> toMap() {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("type", type);
		m.put("blur_sigma_min", blurSigmaMin);
		m.put("blur_sigma_max", blurSigmaMax);
		m.put("noise_sigma_min", noiseSigmaMin);
		m.put("noise_sigma_max", noiseSigmaMax);
		m.put("poisson_peak", poissonPeak);
		m.put("factor", factor);
		if (noiseFavourLow) m.put(NOISE_DRAW, FAVOUR_LOW);
		return m;
	}

	/**
	 * Reads {@link #toMap()}'s keys back; numbers may be any {@link Number} (or numeric text); missing ones are 0,
	 * a missing noise_sigma_draw is uniform.
	 */
	public static DegradationSpec fromMap(Map<String, ?> m) {
		if (m == null) throw new IllegalArgumentException("degradation metadata is missing");
		Object type = m.get("type");
		double factor = number(m, "factor");
		if (factor != Math.rint(factor) || Math.abs(factor) > Integer.MAX_VALUE)
			throw new IllegalArgumentException("factor must be a whole number, got " + m.get("factor"));
		return new DegradationSpec(type == null ? null : type.toString(), number(m, "blur_sigma_min"), number(m, "blur_sigma_max"),
				number(m, "noise_sigma_min"), number(m, "noise_sigma_max"), number(m, "poisson_peak"), (int) factor)
				.withNoiseDraw(m.get(NOISE_DRAW) == null ? null : m.get(NOISE_DRAW).toString());
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
	static double[] parseSigma(String key, String text) {
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
