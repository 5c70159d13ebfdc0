package io.github.imagify.bench;

import java.util.Arrays;

/** Wall-clock timing of repeated runs, summarised by the median (the machines we measure on are noisy). */
final class Measure {

	@FunctionalInterface
	interface Action {
		void run() throws Exception;
	}

	private Measure() {}

	/** Seconds taken by each of {@code repeats} runs. */
	static double[] seconds(int repeats, Action action) throws Exception {
		double[] s = new double[repeats];
		for (int i = 0; i < repeats; i++) {
			long start = System.nanoTime();
			action.run();
			s[i] = (System.nanoTime() - start) / 1e9;
		}
		return s;
	}

	static double median(double[] values) {
		double[] v = values.clone();
		Arrays.sort(v);
		int n = v.length;
		return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	}

	/** "1.23 s (runs 1.20, 1.23, 1.31)" for the human-readable lines. */
	static String describe(double[] seconds) {
		StringBuilder runs = new StringBuilder();
		for (double s : seconds) runs.append(runs.length() == 0 ? "" : ", ").append(String.format("%.3f", s));
		return String.format("median %.3f s (runs %s)", median(seconds), runs);
	}
}
