package io.github.imagify.onnx;

import java.util.List;

/**
 * An ONNX tensor produced for a DL4J vertex, with what the exporter knows of its shape: the channel
 * count ({@code -1} if unknown) and the spatial size relative to the network input as an exact fraction
 * {@code num/den} ({@code num == 0} if the layers change it irregularly). The fraction only decides
 * whether the output can reuse the input's symbolic height and width.
 */
record Value(String name, long channels, long num, long den) {

	static final long UNKNOWN = -1;

	static Value input(String name, long channels) {
		return new Value(name, channels, 1, 1);
	}

	Value renamed(String newName, long newChannels) {
		return new Value(newName, newChannels, num, den);
	}

	/** Same tensor shape as this one, scaled spatially by {@code mul/div}; irregular if {@code mul == 0}. */
	Value scaled(String newName, long newChannels, long mul, long div) {
		if (num == 0 || mul == 0) return new Value(newName, newChannels, 0, 1);
		long n = num * mul, d = den * div, g = gcd(n, d);
		return new Value(newName, newChannels, n / g, d / g);
	}

	boolean sameSizeAsInput() {
		return num != 0 && num == den;
	}

	/** Shape of an element-wise combination or concatenation of {@code values}. */
	static Value combined(String name, long channels, List<Value> values) {
		Value first = values.get(0);
		boolean same = values.stream().allMatch(v -> v.num == first.num && v.den == first.den);
		return same ? new Value(name, channels, first.num, first.den) : new Value(name, channels, 0, 1);
	}

	private static long gcd(long a, long b) {
		return b == 0 ? a : gcd(b, a % b);
	}
}
