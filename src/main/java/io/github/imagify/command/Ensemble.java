package io.github.imagify.command;

import io.github.imagify.restore.Restorer;

/** The {@code ensemble} key of Denoise and Evaluate: a choice in the dialog, so a string; a number in macros. */
final class Ensemble {

	private Ensemble() {}

	static int parse(String value) {
		if (value == null || value.isBlank()) return 1;
		double n;
		try {
			n = Double.parseDouble(value.trim()); // a macro may pass 8 or "8.0"
		} catch (NumberFormatException e) {
			n = Double.NaN;
		}
		if (n != Math.rint(n)) throw Restorer.badEnsemble("'" + value + "'");
		Restorer.checkEnsemble((int) n);
		return (int) n;
	}
}
