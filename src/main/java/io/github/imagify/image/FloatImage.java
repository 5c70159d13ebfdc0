package io.github.imagify.image;

import java.util.Arrays;

/**
 * A dense float image in channel-major (CHW) order: the layout of one sample of an NCHW tensor.
 * This is the common currency between tensors, degradations, tiling and metrics; ImgLib2 and
 * ImagePlus images are converted to and from it at the edges ({@link Tensors}).
 */
public final class FloatImage implements PlaneView {

	private final int channels;
	private final int height;
	private final int width;
	private final float[] data;

	public FloatImage(int channels, int height, int width, float[] data) {
		if (channels < 1 || height < 1 || width < 1)
			throw new IllegalArgumentException("Image dimensions must be positive, got " + channels + "x" + height + "x" + width);
		if (data.length != (long) channels * height * width)
			throw new IllegalArgumentException("Data length " + data.length + " does not match " + channels + "x" + height + "x" + width);
		this.channels = channels;
		this.height = height;
		this.width = width;
		this.data = data;
	}

	public FloatImage(int channels, int height, int width) {
		this(channels, height, width, new float[Math.multiplyExact(Math.multiplyExact(channels, height), width)]);
	}

	@Override public int channels() { return channels; }
	@Override public int height() { return height; }
	@Override public int width() { return width; }
	/** The backing array (CHW); shared, not copied. */
	public float[] data() { return data; }
	public int planeSize() { return height * width; }

	public float get(int c, int y, int x) { return data[(c * height + y) * width + x]; }
	public void set(int c, int y, int x, float v) { data[(c * height + y) * width + x] = v; }

	@Override
	public void read(int c, int y, int x, int n, float[] dst, int off) {
		System.arraycopy(data, (c * height + y) * width + x, dst, off, n);
	}

	@Override
	public void write(int c, int y, int x, int n, float[] src, int off) {
		System.arraycopy(src, off, data, (c * height + y) * width + x, n);
	}

	public FloatImage copy() { return new FloatImage(channels, height, width, data.clone()); }

	/** A copy with one more channel, after the others, that holds {@code value} everywhere (a told model's condition). */
	public FloatImage withConstantChannel(float value) {
		float[] out = java.util.Arrays.copyOf(data, data.length + planeSize());
		java.util.Arrays.fill(out, data.length, out.length, value);
		return new FloatImage(channels + 1, height, width, out);
	}

	/** This image's channels followed by {@code more}'s, which must have its height and width. */
	public FloatImage withChannels(FloatImage more) {
		if (more.height != height || more.width != width)
			throw new IllegalArgumentException("Channels of a " + more.height + "x" + more.width + " image beside a " + height + "x" + width + " one");
		float[] out = java.util.Arrays.copyOf(data, data.length + more.data.length);
		System.arraycopy(more.data, 0, out, data.length, more.data.length);
		return new FloatImage(channels + more.channels, height, width, out);
	}

	public boolean sameShape(FloatImage other) {
		return channels == other.channels && height == other.height && width == other.width;
	}

	/** A copy of the rectangle [y, y+h) x [x, x+w); the rectangle must lie inside the image. */
	public FloatImage crop(int y, int x, int h, int w) {
		if (y < 0 || x < 0 || y + h > height || x + w > width)
			throw new IllegalArgumentException("Crop " + h + "x" + w + " at (" + y + "," + x + ") leaves the " + height + "x" + width + " image");
		FloatImage out = new FloatImage(channels, h, w);
		for (int c = 0; c < channels; c++)
			for (int r = 0; r < h; r++)
				System.arraycopy(data, (c * height + y + r) * width + x, out.data, (c * h + r) * w, w);
		return out;
	}

	@Override
	public String toString() {
		return "FloatImage[" + channels + "x" + height + "x" + width + "]";
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof FloatImage f && sameShape(f) && Arrays.equals(data, f.data);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(data) * 31 + channels * 7 + height * 3 + width;
	}
}
