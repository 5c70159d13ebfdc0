package io.github.imagify.image;

/**
 * One image plane read and written row by row as floats, whatever its pixel type. Tiles stream between
 * the image and the network through it, so restoring needs no whole-plane float copy: a 16384x16384
 * 16-bit plane is 512 MB, and each float copy of it another 1 GB.
 */
public interface PlaneView {

	int channels();

	int height();

	int width();

	/** Copies {@code n} pixels of channel {@code c}, row {@code y}, from column {@code x} on, into {@code dst[off...]}. */
	void read(int c, int y, int x, int n, float[] dst, int off);

	/** Writes {@code n} pixels from {@code src[off...]}; views of integer pixels round and clip to their type's range. */
	void write(int c, int y, int x, int n, float[] src, int off);

	/** Channel {@code c} alone, as a one-channel view of the same pixels. */
	default PlaneView channel(int c) {
		if (c < 0 || c >= channels()) throw new IllegalArgumentException("Channel " + c + " of a " + channels() + "-channel plane");
		PlaneView whole = this;
		return new PlaneView() {
			@Override public int channels() { return 1; }
			@Override public int height() { return whole.height(); }
			@Override public int width() { return whole.width(); }
			@Override public void read(int ignored, int y, int x, int n, float[] dst, int off) { whole.read(c, y, x, n, dst, off); }
			@Override public void write(int ignored, int y, int x, int n, float[] src, int off) { whole.write(c, y, x, n, src, off); }
		};
	}

	/** Number of NaN or infinite values: restoring them would spread garbage through the network. */
	default long countNonFinite() {
		float[] row = new float[width()];
		long bad = 0;
		for (int c = 0; c < channels(); c++)
			for (int y = 0; y < height(); y++) {
				read(c, y, 0, width(), row, 0);
				for (float v : row)
					if (!Float.isFinite(v)) bad++;
			}
		return bad;
	}
}
