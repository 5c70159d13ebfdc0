package io.github.imagify.bioimageio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * numpy's {@code .npy} format, version 1.0, for little-endian float32 arrays in C order: the magic
 * {@code \x93NUMPY}, the version, a header length, a Python dict literal padded with spaces to a
 * multiple of 64 bytes and ended by a newline, then the raw values.
 */
final class Npy {

	static final byte[] MAGIC = { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y' };

	private Npy() {}

	static byte[] write(float[] data, int... shape) {
		long n = 1;
		for (int s : shape) n *= s;
		if (n != data.length) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + data.length + " values");
		String dims = Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
		String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + (shape.length == 1 ? "," : "") + "), }";
		int preamble = MAGIC.length + 2 + 2;
		int total = (preamble + dict.length() + 1 + 63) / 64 * 64;
		String header = dict + " ".repeat(total - preamble - dict.length() - 1) + "\n";
		ByteBuffer out = ByteBuffer.allocate(total + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
		out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
		out.put(header.getBytes(StandardCharsets.US_ASCII));
		out.asFloatBuffer().put(data);
		return out.array();
	}
}
