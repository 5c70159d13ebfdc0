package io.github.imagify.image;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a fully convolutional network over an image of any size, tile by tile.
 * <p>
 * Each tile is the image region it restores (its <em>core</em>) plus {@code context} pixels on every side,
 * read with mirror reflection beyond the image borders. Tile origins are multiples of the network's size
 * multiple (2^depth), so every pooling window falls where it would on the whole image; with a context no
 * smaller than the network's receptive-field radius, the tiled result equals the untiled one up to float
 * rounding. Only the core of each tile is kept, so no blending is needed.
 */
public final class Tiling {

	/** The network applied to one batch of tiles, each {@code channels x h x w}; returns one output per tile, same size. */
	@FunctionalInterface
	public interface TileFunction {
		List<FloatImage> apply(List<FloatImage> tiles) throws Exception;
	}

	/** Called after each batch of tiles; return false to stop. */
	@FunctionalInterface
	public interface Progress {
		boolean tilesDone(int done, int total);
	}

	/** One tile: where its core lies in the image and how large the padded input is. */
	public record Tile(int y, int x, int coreHeight, int coreWidth, int inputHeight, int inputWidth) {}

	private final int multiple;
	private final int context;
	private final int coreSize;
	private final int batchSize;

	/**
	 * @param multiple  input sizes must be multiples of this (2^depth for a U-Net)
	 * @param context   pixels of context around each core; rounded up to a multiple of {@code multiple}
	 * @param coreSize  edge of the region each tile restores; rounded up to a multiple of {@code multiple}
	 * @param batchSize tiles handed to the network at once
	 */
	public Tiling(int multiple, int context, int coreSize, int batchSize) {
		if (multiple < 1 || context < 0 || coreSize < 1 || batchSize < 1)
			throw new IllegalArgumentException("Invalid tiling: multiple " + multiple + ", context " + context
					+ ", tile size " + coreSize + ", batch " + batchSize);
		this.multiple = multiple;
		this.context = roundUp(context, multiple);
		this.coreSize = roundUp(coreSize, multiple);
		this.batchSize = batchSize;
	}

	public int context() { return context; }
	public int coreSize() { return coreSize; }

	/**
	 * Pixel rows [from, to) of band {@code index} (1-based) of {@code count}: the image's tile rows split into
	 * {@code count} contiguous runs as equal as possible.
	 */
	public int[] band(int height, int index, int count) {
		int tileRows = (height + coreSize - 1) / coreSize;
		if (count > tileRows)
			throw new IllegalArgumentException("The image has " + tileRows + " tile row(s) of " + coreSize + " pixels, too few for " + count
					+ " shards; use at most " + tileRows + " shards or a smaller tile_size");
		int first = (int) ((long) (index - 1) * tileRows / count), last = (int) ((long) index * tileRows / count);
		return new int[] { first * coreSize, Math.min(height, last * coreSize) };
	}

	static int roundUp(int v, int m) {
		return (v + m - 1) / m * m;
	}

	/** The tiles covering a height x width image, row by row. */
	public List<Tile> plan(int height, int width) {
		List<Tile> tiles = new ArrayList<>();
		for (int y = 0; y < height; y += coreSize)
			for (int x = 0; x < width; x += coreSize) {
				int ch = Math.min(coreSize, height - y), cw = Math.min(coreSize, width - x);
				tiles.add(new Tile(y, x, ch, cw, roundUp(ch, multiple) + 2 * context, roundUp(cw, multiple) + 2 * context));
			}
		return tiles;
	}

	/**
	 * Applies {@code network} to {@code image} tile by tile; its output has the input's channels.
	 * Returns null when {@code progress} asked to stop.
	 */
	public FloatImage run(FloatImage image, TileFunction network, Progress progress) throws Exception {
		return run(image, 0, image.height(), network, progress);
	}

	/**
	 * Restores only the image rows [{@code y0}, {@code y1}) (a band of whole tile rows: {@code y0} a multiple
	 * of the tile size, {@code y1} one too or the image height). The tiles are those of the whole-image plan,
	 * with their context read from the whole image, so the band equals those rows of {@link #run(FloatImage,
	 * TileFunction, Progress)}. Returns an image of height {@code y1 - y0}, or null when stopped.
	 */
	public FloatImage run(FloatImage image, int y0, int y1, TileFunction network, Progress progress) throws Exception {
		FloatImage out = new FloatImage(image.channels(), y1 - y0, image.width());
		return run(image, y0, y1, network, out, progress) ? out : null;
	}

	/**
	 * The streaming form: tiles are read from {@code image} and their cores written to {@code out} (rows
	 * [{@code y0}, {@code y1}) of the image, so {@code y1 - y0} rows high), one batch at a time, so only a batch
	 * of tiles is ever held as floats. Returns false when {@code progress} asked to stop.
	 */
	public boolean run(PlaneView image, int y0, int y1, TileFunction network, PlaneView out, Progress progress) throws Exception {
		if (y0 < 0 || y1 > image.height() || y0 >= y1 || y0 % coreSize != 0 || (y1 % coreSize != 0 && y1 != image.height()))
			throw new IllegalArgumentException("Rows " + y0 + ".." + y1 + " are not a band of whole " + coreSize + "-pixel tile rows of a "
					+ image.height() + "-row image");
		if (out.height() != y1 - y0 || out.width() != image.width())
			throw new IllegalArgumentException("The output is " + out.width() + "x" + out.height() + ", the band " + image.width() + "x" + (y1 - y0));
		List<Tile> tiles = plan(image.height(), image.width()).stream().filter(t -> t.y() >= y0 && t.y() < y1).toList();
		int done = 0;
		int next = 0;
		while (next < tiles.size()) {
			// tiles of one batch must share a size: cut the batch where the size changes
			List<Tile> batch = new ArrayList<>();
			while (next < tiles.size() && batch.size() < batchSize
					&& (batch.isEmpty() || sameInputSize(batch.get(0), tiles.get(next))))
				batch.add(tiles.get(next++));
			List<FloatImage> inputs = new ArrayList<>(batch.size());
			for (Tile t : batch)
				inputs.add(extract(image, t.y() - context, t.x() - context, t.inputHeight(), t.inputWidth()));
			List<FloatImage> results = network.apply(inputs);
			if (results.size() != batch.size())
				throw new IllegalStateException("The network returned " + results.size() + " tiles for " + batch.size());
			for (int i = 0; i < batch.size(); i++) {
				Tile t = batch.get(i);
				FloatImage r = results.get(i);
				if (r.height() != t.inputHeight() || r.width() != t.inputWidth() || r.channels() != out.channels())
					throw new IllegalStateException("The network turned a " + t.inputHeight() + "x" + t.inputWidth() + " tile into "
							+ r.channels() + "x" + r.height() + "x" + r.width() + " where " + out.channels() + " channel(s) were expected");
				paste(r, context, context, t, y0, out);
			}
			done += batch.size();
			if (progress != null && !progress.tilesDone(done, tiles.size())) return false;
		}
		return true;
	}

	private static boolean sameInputSize(Tile a, Tile b) {
		return a.inputHeight() == b.inputHeight() && a.inputWidth() == b.inputWidth();
	}

	/** Writes the core of a tile to {@code out}, whose first row is image row {@code outY0}. */
	private static void paste(FloatImage tile, int offY, int offX, Tile t, int outY0, PlaneView out) {
		for (int c = 0; c < out.channels(); c++)
			for (int r = 0; r < t.coreHeight(); r++)
				out.write(c, t.y() - outY0 + r, t.x(), t.coreWidth(), tile.data(), (c * tile.height() + offY + r) * tile.width() + offX);
	}

	/** The h x w region at (y0, x0), which may reach outside the image: those pixels are mirror-reflected. */
	public static FloatImage extract(PlaneView image, int y0, int x0, int h, int w) {
		FloatImage out = new FloatImage(image.channels(), h, w);
		float[] dst = out.data();
		boolean inside = x0 >= 0 && x0 + w <= image.width();
		int[] xs = inside ? null : new int[w];
		float[] row = inside ? null : new float[image.width()];
		if (!inside) for (int x = 0; x < w; x++) xs[x] = reflect(x0 + x, image.width());
		for (int c = 0; c < image.channels(); c++)
			for (int y = 0; y < h; y++) {
				int sy = reflect(y0 + y, image.height());
				int dstRow = (c * h + y) * w;
				if (inside) {
					image.read(c, sy, x0, w, dst, dstRow);
				} else {
					image.read(c, sy, 0, image.width(), row, 0);
					for (int x = 0; x < w; x++) dst[dstRow + x] = row[xs[x]];
				}
			}
		return out;
	}

	/** Mirror reflection without repeating the edge pixel (…2 1 | 0 1 2 … n-1 | n-2 …), periodic for any distance. */
	public static int reflect(int i, int n) {
		if (n == 1) return 0;
		int period = 2 * (n - 1);
		int m = Math.floorMod(i, period);
		return m < n ? m : period - m;
	}
}
