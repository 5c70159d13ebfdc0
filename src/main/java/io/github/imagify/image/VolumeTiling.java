package io.github.imagify.image;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link Tiling} in three dimensions: runs a fully convolutional 3D network over a volume of any size, tile by tile
 * in Z, Y and X.
 * <p>
 * As in 2D, each tile is the region it restores (its core) plus context on every side, read with mirror reflection
 * beyond the volume's borders ({@link Tiling#reflect}), tile origins and input sizes are multiples of the network's
 * size multiple, and only cores are kept. Z and XY have their own multiple, context and core size, since a 3D U-Net
 * may leave Z unpooled; with each context at least the network's receptive-field radius along that axis, the tiled
 * result equals the untiled one up to float rounding.
 * <p>
 * A volume streams as its Z planes ({@link PlaneView}s, e.g. an ImageJ stack's own pixel arrays): only one batch of
 * tiles is ever held as floats, its inputs and its outputs, each {@code batch x channels x} {@link Tile#voxels()}
 * {@code x 4} bytes.
 */
public final class VolumeTiling {

	/** The network applied to one batch of tiles of one shape; returns one output per tile, same size. */
	@FunctionalInterface
	public interface TileFunction {
		List<FloatVolume> apply(List<FloatVolume> tiles) throws Exception;
	}

	/**
	 * How one axis is tiled.
	 *
	 * @param multiple input sizes along the axis must be multiples of this (2^poolings along it)
	 * @param context  voxels of context before and after each core; rounded up to a multiple of {@code multiple}
	 * @param coreSize edge of the region each tile restores; rounded up to a multiple of {@code multiple}
	 */
	public record Axis(int multiple, int context, int coreSize) {
		public Axis {
			if (multiple < 1 || context < 0 || coreSize < 1)
				throw new IllegalArgumentException("Invalid tiling axis: multiple " + multiple + ", context " + context + ", tile size " + coreSize);
		}

		Axis rounded() {
			return new Axis(multiple, Tiling.roundUp(context, multiple), Tiling.roundUp(coreSize, multiple));
		}

		/** The padded input length for a core of {@code core} voxels. */
		int input(int core) {
			return Tiling.roundUp(core, multiple) + 2 * context;
		}
	}

	/** One tile: where its core lies in the volume and how large the padded input is. */
	public record Tile(int z, int y, int x, int coreDepth, int coreHeight, int coreWidth, int inputDepth, int inputHeight, int inputWidth) {
		/** Voxels of the padded input. */
		public long voxels() {
			return (long) inputDepth * inputHeight * inputWidth;
		}

		boolean sameInputSize(Tile o) {
			return inputDepth == o.inputDepth && inputHeight == o.inputHeight && inputWidth == o.inputWidth;
		}
	}

	private final Axis z;
	private final Axis xy;
	private final int batchSize;
	/** The XY tiling, for the bands of tile rows that shards restore. */
	private final Tiling rows;

	/**
	 * @param z         the Z axis
	 * @param xy        the Y and X axes
	 * @param batchSize tiles handed to the network at once
	 */
	public VolumeTiling(Axis z, Axis xy, int batchSize) {
		if (batchSize < 1) throw new IllegalArgumentException("Invalid tiling: batch " + batchSize);
		this.z = z.rounded();
		this.xy = xy.rounded();
		this.batchSize = batchSize;
		this.rows = new Tiling(xy.multiple(), xy.context(), xy.coreSize(), batchSize);
	}

	/** The Z axis, context and core size rounded up to its multiple. */
	public Axis z() { return z; }

	/** The Y and X axes, context and core size rounded up to their multiple. */
	public Axis xy() { return xy; }

	/** Voxels of a whole tile's padded input (a full core and its context on every side): what the network holds per channel. */
	public long tileVoxels() {
		return (long) z.input(z.coreSize()) * xy.input(xy.coreSize()) * xy.input(xy.coreSize());
	}

	/** Pixel rows [from, to) of band {@code index} (1-based) of {@code count}: as {@link Tiling#band}, every plane alike. */
	public int[] band(int height, int index, int count) {
		return rows.band(height, index, count);
	}

	/** The tiles covering a depth x height x width volume, plane of tiles by plane of tiles, row by row. */
	public List<Tile> plan(int depth, int height, int width) {
		List<Tile> tiles = new ArrayList<>();
		for (int tz = 0; tz < depth; tz += z.coreSize())
			for (int ty = 0; ty < height; ty += xy.coreSize())
				for (int tx = 0; tx < width; tx += xy.coreSize()) {
					int cd = Math.min(z.coreSize(), depth - tz), ch = Math.min(xy.coreSize(), height - ty), cw = Math.min(xy.coreSize(), width - tx);
					tiles.add(new Tile(tz, ty, tx, cd, ch, cw, z.input(cd), xy.input(ch), xy.input(cw)));
				}
		return tiles;
	}

	/** Applies {@code network} to {@code volume} tile by tile; its output has the input's channels. Null when {@code progress} asked to stop. */
	public FloatVolume run(FloatVolume volume, TileFunction network, Tiling.Progress progress) throws Exception {
		FloatVolume out = new FloatVolume(volume.channels(), volume.depth(), volume.height(), volume.width());
		return run(volume.planes(), 0, volume.height(), network, out.planes(), progress) ? out : null;
	}

	/**
	 * The streaming form: tiles are read from the planes of {@code volume} and their cores written to the planes of
	 * {@code out}, one batch at a time. Only rows [{@code y0}, {@code y1}) of every plane are restored (a band of
	 * whole tile rows, as in {@link Tiling#run(PlaneView, int, int, Tiling.TileFunction, PlaneView, Tiling.Progress)}),
	 * so {@code out}'s planes are {@code y1 - y0} rows high; context still comes from the whole volume. Returns false
	 * when {@code progress} asked to stop.
	 */
	public boolean run(List<? extends PlaneView> volume, int y0, int y1, TileFunction network, List<? extends PlaneView> out,
			Tiling.Progress progress) throws Exception {
		PlaneView shape = PlaneView.stacked(volume), outShape = PlaneView.stacked(out); // both check their planes agree
		int depth = volume.size(), height = volume.get(0).height(), width = volume.get(0).width();
		if (y0 < 0 || y1 > height || y0 >= y1 || y0 % xy.coreSize() != 0 || (y1 % xy.coreSize() != 0 && y1 != height))
			throw new IllegalArgumentException("Rows " + y0 + ".." + y1 + " are not a band of whole " + xy.coreSize() + "-pixel tile rows of a "
					+ height + "-row volume");
		if (out.size() != depth || outShape.width() != width || outShape.height() != (long) (y1 - y0) * depth)
			throw new IllegalArgumentException("The output is " + out.size() + " planes of " + outShape.width() + "x" + outShape.height() / out.size()
					+ ", the band " + depth + " planes of " + width + "x" + (y1 - y0));
		List<Tile> tiles = plan(depth, height, width).stream().filter(t -> t.y() >= y0 && t.y() < y1).toList();
		int done = 0, next = 0;
		while (next < tiles.size()) {
			// tiles of one batch must share a size: cut the batch where the size changes
			List<Tile> batch = new ArrayList<>();
			while (next < tiles.size() && batch.size() < batchSize && (batch.isEmpty() || batch.get(0).sameInputSize(tiles.get(next))))
				batch.add(tiles.get(next++));
			List<FloatVolume> inputs = new ArrayList<>(batch.size());
			for (Tile t : batch)
				inputs.add(extract(volume, t.z() - z.context(), t.y() - xy.context(), t.x() - xy.context(), t.inputDepth(), t.inputHeight(), t.inputWidth()));
			List<FloatVolume> results = network.apply(inputs);
			if (results.size() != batch.size())
				throw new IllegalStateException("The network returned " + results.size() + " tiles for " + batch.size());
			for (int i = 0; i < batch.size(); i++) {
				Tile t = batch.get(i);
				FloatVolume r = results.get(i);
				if (r.depth() != t.inputDepth() || r.height() != t.inputHeight() || r.width() != t.inputWidth() || r.channels() != shape.channels())
					throw new IllegalStateException("The network turned a " + t.inputDepth() + "x" + t.inputHeight() + "x" + t.inputWidth() + " tile into "
							+ r + " where " + shape.channels() + " channel(s) were expected");
				paste(r, t, y0, out);
			}
			done += batch.size();
			if (progress != null && !progress.tilesDone(done, tiles.size())) return false;
		}
		return true;
	}

	/** Writes the core of a tile to {@code out}, whose planes' first row is volume row {@code outY0}. */
	private void paste(FloatVolume tile, Tile t, int outY0, List<? extends PlaneView> out) {
		for (int dz = 0; dz < t.coreDepth(); dz++) {
			PlaneView plane = out.get(t.z() + dz);
			for (int c = 0; c < tile.channels(); c++)
				for (int r = 0; r < t.coreHeight(); r++) {
					int from = ((c * tile.depth() + z.context() + dz) * tile.height() + xy.context() + r) * tile.width() + xy.context();
					plane.write(c, t.y() - outY0 + r, t.x(), t.coreWidth(), tile.data(), from);
				}
		}
	}

	/** The d x h x w region at (z0, y0, x0) of a volume given as its planes; voxels outside it are mirror-reflected. */
	public static FloatVolume extract(List<? extends PlaneView> volume, int z0, int y0, int x0, int d, int h, int w) {
		int channels = volume.get(0).channels(), n = h * w;
		FloatVolume out = new FloatVolume(channels, d, h, w);
		for (int dz = 0; dz < d; dz++) {
			FloatImage plane = Tiling.extract(volume.get(Tiling.reflect(z0 + dz, volume.size())), y0, x0, h, w);
			for (int c = 0; c < channels; c++) System.arraycopy(plane.data(), c * n, out.data(), (c * d + dz) * n, n);
		}
		return out;
	}
}
