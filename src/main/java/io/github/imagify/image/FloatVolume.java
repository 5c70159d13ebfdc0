package io.github.imagify.image;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A dense float volume in channel-major (CDHW) order: one sample of an NCDHW tensor, what a 3D model reads and
 * writes. The same array read as {@code channels x depth} planes of {@code height x width} is a {@link FloatImage}
 * ({@link #asPlanes()}), so plane-wise code (per-voxel noise, XY blurs, mirrors and turns for a self-ensemble) works on volumes unchanged.
 */
public final class FloatVolume {

	private final int channels;
	private final int depth;
	private final int height;
	private final int width;
	private final float[] data;

	public FloatVolume(int channels, int depth, int height, int width, float[] data) {
		if (channels < 1 || depth < 1 || height < 1 || width < 1)
			throw new IllegalArgumentException("Volume dimensions must be positive, got " + describe(channels, depth, height, width));
		if (data.length != (long) channels * depth * height * width)
			throw new IllegalArgumentException("Data length " + data.length + " does not match " + describe(channels, depth, height, width));
		this.channels = channels;
		this.depth = depth;
		this.height = height;
		this.width = width;
		this.data = data;
	}

	public FloatVolume(int channels, int depth, int height, int width) {
		this(channels, depth, height, width, new float[Math.multiplyExact(Math.multiplyExact(Math.multiplyExact(channels, depth), height), width)]);
	}

	public int channels() { return channels; }
	public int depth() { return depth; }
	public int height() { return height; }
	public int width() { return width; }
	/** The backing array (CDHW); shared, not copied. */
	public float[] data() { return data; }
	public int planeSize() { return height * width; }

	public float get(int c, int z, int y, int x) { return data[((c * depth + z) * height + y) * width + x]; }
	public void set(int c, int z, int y, int x, float v) { data[((c * depth + z) * height + y) * width + x] = v; }

	public boolean sameShape(FloatVolume other) {
		return channels == other.channels && depth == other.depth && height == other.height && width == other.width;
	}

	public FloatVolume copy() { return new FloatVolume(channels, depth, height, width, data.clone()); }

	/** The same array as a {@code (channels x depth) x height x width} image, plane (c, z) at channel {@code c * depth + z}. */
	public FloatImage asPlanes() {
		return new FloatImage(channels * depth, height, width, data);
	}

	/** A copy of plane {@code z} with all its channels, as a 2D image (for what works plane by plane). */
	public FloatImage planeImage(int z) {
		int size = height * width;
		FloatImage plane = new FloatImage(channels, height, width);
		for (int c = 0; c < channels; c++) System.arraycopy(data, (c * depth + z) * size, plane.data(), c * size, size);
		return plane;
	}

	/** A volume of {@code depth} planes from an image of {@code channels x depth} planes ({@link #asPlanes()}' inverse); shares its array. */
	public static FloatVolume ofPlanes(FloatImage planes, int depth) {
		if (planes.channels() % depth != 0)
			throw new IllegalArgumentException("An image of " + planes.channels() + " planes is not a volume of depth " + depth);
		return new FloatVolume(planes.channels() / depth, depth, planes.height(), planes.width(), planes.data());
	}

	/** A copy with one more channel, after the others, that holds {@code value} everywhere (a told model's condition). */
	public FloatVolume withConstantChannel(float value) {
		int perChannel = depth * height * width;
		float[] out = Arrays.copyOf(data, data.length + perChannel);
		Arrays.fill(out, data.length, out.length, value);
		return new FloatVolume(channels + 1, depth, height, width, out);
	}

	/** Plane {@code z} with all its channels, as a view on this volume's array. */
	public PlaneView plane(int z) {
		if (z < 0 || z >= depth) throw new IllegalArgumentException("Plane " + z + " of a volume of depth " + depth);
		return new PlaneView() {
			@Override public int channels() { return channels; }
			@Override public int height() { return height; }
			@Override public int width() { return width; }
			@Override public void read(int c, int y, int x, int n, float[] dst, int off) { System.arraycopy(data, at(c, y, x), dst, off, n); }
			@Override public void write(int c, int y, int x, int n, float[] src, int off) { System.arraycopy(src, off, data, at(c, y, x), n); }
			private int at(int c, int y, int x) { return ((c * depth + z) * height + y) * width + x; }
		};
	}

	/** The Z planes, first to last: the form {@link VolumeTiling} streams volumes in. */
	public List<PlaneView> planes() {
		List<PlaneView> planes = new ArrayList<>(depth);
		for (int z = 0; z < depth; z++) planes.add(plane(z));
		return planes;
	}

	/**
	 * A copy of the box [z0, z0+d) x [y0, y0+h) x [x0, x0+w); where the box leaves the volume, the volume is mirrored
	 * without repeating its edge ({@link Tiling#reflect}), as the 2D patches get their context.
	 */
	public FloatVolume extract(int z0, int y0, int x0, int d, int h, int w) {
		FloatVolume out = new FloatVolume(channels, d, h, w);
		int[] xs = new int[w];
		for (int x = 0; x < w; x++) xs[x] = Tiling.reflect(x0 + x, width);
		boolean rowInside = x0 >= 0 && x0 + w <= width;
		for (int c = 0; c < channels; c++)
			for (int z = 0; z < d; z++) {
				int sz = Tiling.reflect(z0 + z, depth);
				for (int y = 0; y < h; y++) {
					int src = ((c * depth + sz) * height + Tiling.reflect(y0 + y, height)) * width, dst = ((c * d + z) * h + y) * w;
					if (rowInside) System.arraycopy(data, src + x0, out.data, dst, w);
					else for (int x = 0; x < w; x++) out.data[dst + x] = data[src + xs[x]];
				}
			}
		return out;
	}

	@Override
	public String toString() {
		return "FloatVolume[" + describe(channels, depth, height, width) + "]";
	}

	private static String describe(int channels, int depth, int height, int width) {
		return channels + "x" + depth + "x" + height + "x" + width;
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof FloatVolume v && sameShape(v) && Arrays.equals(data, v.data);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(data) * 31 + ((channels * 7 + depth) * 5 + height) * 3 + width;
	}
}
