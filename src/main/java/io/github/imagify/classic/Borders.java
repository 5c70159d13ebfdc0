package io.github.imagify.classic;

/** Mirrored (reflect-101, "abcb|abcd|cbab") indexing, so filters see plausible data beyond the border. */
final class Borders {

	private Borders() {}

	static int mirror(int i, int n) {
		if (n == 1) return 0;
		int period = 2 * (n - 1);
		i = Math.floorMod(i, period);
		return i < n ? i : period - i;
	}
}
