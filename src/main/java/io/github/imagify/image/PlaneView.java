package io.github.imagify.image;

import java.util.List;

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

	/**
	 * Planes of one shape one below the other, read as one plane of their summed height: percentiles and NaN counts
	 * over a whole Z-stack use the plane code as it is. Writes go to the plane they fall in.
	 */
	static PlaneView stacked(List<? extends PlaneView> planes) {
		if (planes.isEmpty()) throw new IllegalArgumentException("No planes to stack");
		PlaneView first = planes.get(0);
		for (PlaneView p : planes)
			if (p.channels() != first.channels() || p.height() != first.height() || p.width() != first.width())
				throw new IllegalArgumentException("Planes of a stack differ in shape: " + p.channels() + "x" + p.height() + "x" + p.width()
						+ " beside " + first.channels() + "x" + first.height() + "x" + first.width());
		int h = first.height(), total = Math.multiplyExact(h, planes.size());
		return new PlaneView() {
			@Override public int channels() { return first.channels(); }
			@Override public int height() { return total; }
			@Override public int width() { return first.width(); }
			@Override public void read(int c, int y, int x, int n, float[] dst, int off) { planes.get(y / h).read(c, y % h, x, n, dst, off); }
			@Override public void write(int c, int y, int x, int n, float[] src, int off) { planes.get(y / h).write(c, y % h, x, n, src, off); }
			@Override public long countNonFinite() { return planes.stream().mapToLong(PlaneView::countNonFinite).sum(); } // integer planes answer 0 unread
		};
	}
}
