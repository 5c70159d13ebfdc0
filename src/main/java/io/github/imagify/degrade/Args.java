package io.github.imagify.degrade;

import java.math.BigDecimal;

/** Argument checks shared by the degradations, so every message names the user-facing key the same way. */
final class Args {

	private Args() {}

	/** Checks a [min, max] range of a non-negative strength such as a sigma. */
	static void checkRange(String key, double min, double max) {
		if (!Double.isFinite(min) || !Double.isFinite(max))
			throw new IllegalArgumentException(key + " must be a finite number, got " + range(min, max));
		if (min < 0 || max < 0)
			throw new IllegalArgumentException(key + " must be >= 0, got " + range(min, max));
		if (min > max)
			throw new IllegalArgumentException(key + " range must be min-max with min <= max, got " + range(min, max));
	}

	/** The data range scales noise strengths, so it must be a usable positive span. */
	static void checkDataRange(double dataRange) {
		if (!(dataRange > 0) || Double.isInfinite(dataRange))
			throw new IllegalArgumentException("dataRange must be a finite number > 0 (the clean image's intensity span), got " + dataRange);
	}

	/** Uniform draw from [min, max]; a fixed value (no draw) when min == max. */
	static double draw(double min, double max, java.util.Random rng) {
		return draw(min, max, false, rng);
	}

	/**
	 * A draw from [min, max]: min + (max - min) u for uniform u, or with {@code favourLow} min + (max - min) u^2 (density
	 * falling as 1/sqrt, half the draws in the lowest quarter); a fixed value (no draw) when min == max.
	 */
	static double draw(double min, double max, boolean favourLow, java.util.Random rng) {
		if (min == max) return min;
		double u = rng.nextDouble();
		return min + (favourLow ? u * u : u) * (max - min);
	}

	/** A number as a user would write it: "3" rather than "3.0". */
	static String num(double v) {
		if (!Double.isFinite(v)) return Double.toString(v);
		return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
	}

	/** "25" for a fixed value, "0-55" for a range. */
	static String range(double min, double max) {
		return min == max ? num(min) : num(min) + "-" + num(max);
	}
}
