package io.github.imagify.onnx;

import java.util.List;

/**
 * An ONNX tensor produced for a DL4J vertex, with what the exporter knows of its shape: the channel
 * count ({@code -1} if unknown) and the spatial size relative to the network input as an exact fraction
 * {@code num/den} ({@code num == 0} if the layers change it irregularly), for a volume's depth (Z) a second one,
 * {@code zNum/zDen}, as Z may be pooled differently from X and Y (it stays 1/1 for planes). The fractions only
 * decide whether the output can reuse the input's symbolic height, width and depth.
 */
record Value(String name, long channels, long num, long den, long zNum, long zDen) {

	static final long UNKNOWN = -1;

	static Value input(String name, long channels) {
		return new Value(name, channels, 1, 1, 1, 1);
	}

	Value renamed(String newName, long newChannels) {
		return new Value(newName, newChannels, num, den, zNum, zDen);
	}

	/** Same tensor shape as this one, scaled in height and width by {@code mul/div}; irregular if {@code mul == 0}. */
	Value scaled(String newName, long newChannels, long mul, long div) {
		return scaled(newName, newChannels, mul, div, 1, 1);
	}

	/** As {@link #scaled(String, long, long, long)}, also scaling the depth by {@code zMul/zDiv}. */
	Value scaled(String newName, long newChannels, long mul, long div, long zMul, long zDiv) {
		long[] xy = times(num, den, mul, div), z = times(zNum, zDen, zMul, zDiv);
		return new Value(newName, newChannels, xy[0], xy[1], z[0], z[1]);
	}

	private static long[] times(long num, long den, long mul, long div) {
		if (num == 0 || mul == 0) return new long[] { 0, 1 };
		long n = num * mul, d = den * div, g = gcd(n, d);
		return new long[] { n / g, d / g };
	}

	/** Whether height and width are the input's. */
	boolean sameSizeAsInput() {
		return num != 0 && num == den;
	}

	/** Whether the depth is the input's (always, for planes). */
	boolean sameDepthAsInput() {
		return zNum != 0 && zNum == zDen;
	}

	/** Shape of an element-wise combination or concatenation of {@code values}. */
	static Value combined(String name, long channels, List<Value> values) {
		Value first = values.get(0);
		boolean same = values.stream().allMatch(v -> v.num == first.num && v.den == first.den);
		boolean sameZ = values.stream().allMatch(v -> v.zNum == first.zNum && v.zDen == first.zDen);
		return new Value(name, channels, same ? first.num : 0, same ? first.den : 1, sameZ ? first.zNum : 0, sameZ ? first.zDen : 1);
	}

	private static long gcd(long a, long b) {
		return b == 0 ? a : gcd(b, a % b);
	}
}
