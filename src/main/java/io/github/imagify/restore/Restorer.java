package io.github.imagify.restore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.github.imagify.bundled.BundledModels;
import io.github.imagify.degrade.DegradationSpec;
import io.github.imagify.image.FloatImage;
import io.github.imagify.image.FloatVolume;
import io.github.imagify.image.Normalization;
import io.github.imagify.image.OpponentColours;
import io.github.imagify.image.PlaneView;
import io.github.imagify.image.Symmetries;
import io.github.imagify.image.Tiling;
import io.github.imagify.image.VolumeTiling;
import io.github.imagify.model.UNetSpec;
import io.github.imagify.modelfile.ModelFile;
import io.github.imagify.modelfile.ModelInfo;
import io.github.imagify.modelfile.OnnxGraphCheck;
import io.github.imagify.ort.OnnxNetwork;

/**
 * Restores float images of any size with one model: normalise, run the network tile by tile, and map
 * the result back to the input's intensity units. Thread-safe; one instance can serve many images.
 * <p>
 * A 2D model restores plane by plane. A 3D model ({@link ModelInfo#is3d()}) restores a Z-stack as one volume
 * ({@link #restoreVolume}), normalised with percentiles over the whole volume and tiled in Z, Y and X
 * ({@link VolumeTiling}); it refuses single planes. Memory, 3D: the input planes and the result planes (read and
 * written in place, never copied whole) plus, for one tile, about four float copies of it on the Java heap (the tile,
 * the network's input batch and output, the restored tile), i.e. {@code 4 x inputChannels x tileVoxels x 4} bytes with
 * {@code tileVoxels = (coreZ + 2 contextZ) x (core + 2 context)^2}, and in ONNX Runtime's native memory the network's
 * activations, which grow as {@code tileVoxels x} its widest full-resolution layer (2 x base filters, at the top
 * skip's concatenation) {@code x 4} bytes, a few layers at a time. The core is the tile size in X, Y and Z; by default
 * ({@link #automaticCore3d}) the largest that keeps those activations within {@link #TILE_3D_ACTIVATIONS}: with a
 * depth-3 U-Net of 32 base filters pooling Z, a 64-voxel core and its 56-voxel context (51, rounded up to the multiple
 * 8) make 176^3 = 5.5 M voxels, 1.4 GB per full-resolution activation of 64 channels; smaller networks get larger
 * cores for the same memory. A smaller tile size saves memory and costs time (the context is restored again by every tile).
 */
public final class Restorer implements AutoCloseable {

	/** Default edge of the region one tile restores; tiles add the model's context around it. */
	public static final int DEFAULT_TILE_SIZE = 512;
	/** Default edge, in X, Y and Z, of the region one tile of a 3D model restores: a cube of 512 would need tens of GB. */
	public static final int DEFAULT_TILE_SIZE_3D = 64;
	/** The largest automatic 3D tile core. */
	static final int MAX_AUTOMATIC_TILE_SIZE_3D = 256;
	/** Activation values one 3D tile may hold per full-resolution layer: 176^3 voxels x 64 channels (1.4 GB as floats). */
	static final long TILE_3D_ACTIVATIONS = 176L * 176 * 176 * 64;
	/** The tile size that stands for the model's default: {@link #DEFAULT_TILE_SIZE}, or for a 3D model {@link #automaticCore3d}. */
	public static final int AUTOMATIC_TILE_SIZE = 0;
	/**
	 * Tiles per ONNX Runtime call. One: batching did not speed up the CPU convolutions in the measurement (README,
	 * "Benchmark") and multiplies the memory; {@code -Dimagify.tile_batch=n} measures others.
	 */
	static final int TILE_BATCH = Math.max(1, Integer.getInteger("imagify.tile_batch", 1));

	/**
	 * The symmetries a self-ensemble of n averages are the first n of these: a mirror, then the half turn and its
	 * mirror, which keep a tile's shape, then the quarter turns.
	 */
	private static final int[] ENSEMBLE_ORDER = { 0, 4, 2, 6, 1, 5, 3, 7 };

	private final ModelInfo info;
	private final OnnxNetwork network;
	/** The plane tiling of a 2D model, null for a 3D one. */
	private final Tiling tiling;
	/** The volume tiling of a 3D model, null for a 2D one. */
	private final VolumeTiling volumeTiling;
	private final int ensemble;
	/** The value a told model reads beside the image (its condition channel), or null for a blind model. */
	private final Float condition;
	/**
	 * For a model told the luminance ({@link UNetSpec#LUMINANCE}), which restores the colour differences of RGB images:
	 * the grey model that restores their luminance, named in its file; null otherwise.
	 */
	private final Restorer luminance;

	public Restorer(ModelFile model, int tileSize, int threads) throws IOException {
		this(model, tileSize, threads, 1);
	}

	public Restorer(ModelFile model, int tileSize, int threads, int ensemble) throws IOException {
		this(model, tileSize, threads, ensemble, null);
	}

	/**
	 * @param tileSize edge of the region one tile restores (in X, Y and, for a 3D model, Z), 16 to 8192, or
	 *                 {@link #AUTOMATIC_TILE_SIZE} for the model's default
	 * @param ensemble 1, or 2, 4 or 8 to average the network's output over that many mirrored and rotated copies of
	 *                 each tile (self-ensemble: a little more quality for that many times the time)
	 * @param blurSigma the images' Gaussian blur sigma in pixels, which a model told the blur needs (and a blind one
	 *                  does not use), or null
	 */
	public Restorer(ModelFile model, int tileSize, int threads, int ensemble, Double blurSigma) throws IOException {
		if (tileSize != AUTOMATIC_TILE_SIZE && (tileSize < 16 || tileSize > 8192))
			throw new IllegalArgumentException("tile_size must be between 16 and 8192, or 0 for the model's default, got " + tileSize);
		checkEnsemble(ensemble);
		this.ensemble = ensemble;
		this.info = model.info();
		if (info.is3d() && UNetSpec.LUMINANCE.equals(info.condition()))
			throw new IllegalArgumentException("Model '" + info.name() + "' is 3D and told the luminance, which Imagify restores only in 2D; use a 2D model for RGB images");
		int core = tileSize != AUTOMATIC_TILE_SIZE ? tileSize : info.is3d() ? DEFAULT_TILE_SIZE_3D : DEFAULT_TILE_SIZE;
		this.condition = condition(info, blurSigma);
		this.luminance = UNetSpec.LUMINANCE.equals(info.condition()) ? luminancePartner(info, tileSize, threads, ensemble) : null;
		try {
			// ONNX Runtime trusts its graph: only a checked graph, rebuilt from the checked parts, reaches it
			this.network = new OnnxNetwork(OnnxGraphCheck.check(model.onnx(), info), threads);
		} catch (IOException | RuntimeException e) {
			if (luminance != null) luminance.close();
			throw e;
		}
		this.tiling = info.is3d() ? null : new Tiling(info.sizeMultiple(), info.context(), core, TILE_BATCH);
		this.volumeTiling = info.is3d() ? volumeTiling(info, tileSize != AUTOMATIC_TILE_SIZE ? tileSize : automaticCore3d(info)) : null;
	}

	private static VolumeTiling volumeTiling(ModelInfo info, int core) {
		return new VolumeTiling(new VolumeTiling.Axis(info.sizeMultipleZ(), info.contextZ(), core), new VolumeTiling.Axis(info.sizeMultiple(), info.context(), core),
				TILE_BATCH);
	}

	/**
	 * A 3D model's automatic tile core: the largest cube, in steps of 32 up to {@link #MAX_AUTOMATIC_TILE_SIZE_3D}, whose
	 * padded tile times the widest full-resolution layer (2 x base filters) stays within {@link #TILE_3D_ACTIVATIONS},
	 * what the {@link #DEFAULT_TILE_SIZE_3D} core of a depth-3, 32-filter U-Net pooling Z holds. Smaller networks get
	 * larger tiles, so less of their time goes into restoring context again (measured: a depth-2, 16-filter model, given
	 * 160, restored a 64 x 384 x 384 stack in 35 s against 53 s with 64). A model file that does not say its base
	 * filters keeps the default.
	 */
	static int automaticCore3d(ModelInfo info) {
		Object filters = info.network().get(UNetSpec.BASE_FILTERS);
		if (!(filters instanceof Number n) || n.intValue() < 1) return DEFAULT_TILE_SIZE_3D;
		long channels = 2L * n.intValue();
		int core = DEFAULT_TILE_SIZE_3D;
		for (int next = core + 32; next <= MAX_AUTOMATIC_TILE_SIZE_3D && volumeTiling(info, next).tileVoxels() * channels <= TILE_3D_ACTIVATIONS; next += 32)
			core = next;
		return core;
	}

	/**
	 * The grey model a luminance-told model names for the luminance: blind, trained on a synthetic degradation (so
	 * it restores the luminance plane as it would in opponent colours), and the same U-Net depth, since both run on the
	 * same tiles.
	 */
	private static Restorer luminancePartner(ModelInfo info, int tileSize, int threads, int ensemble) throws IOException {
		Object name = info.training().get(ModelInfo.LUMINANCE_MODEL);
		if (name == null)
			throw new IllegalArgumentException("Model '" + info.name() + "' is told the luminance but does not name the model that restores it; retrain it with luminance_guide=true");
		Restorer partner = new Restorer(BundledModels.resolve(name.toString()), tileSize, threads, ensemble);
		ModelInfo p = partner.info();
		if (p.channels() != 1 || p.condition() != null || !partner.colourThroughOpponent() || p.sizeMultiple() != info.sizeMultiple()
				|| p.context() > info.context()) {
			partner.close();
			throw new IllegalArgumentException("Model '" + info.name() + "' restores the luminance with '" + name + "', which is not a blind grey model of its depth"
					+ " trained on a synthetic degradation; retrain it with start_from set to such a model");
		}
		return partner;
	}

	public ModelInfo info() { return info; }

	/** Whether the model is 3D: it restores Z-stacks with {@link #restoreVolume}, not planes. */
	public boolean is3d() { return info.is3d(); }

	/** A 3D model's volume tiling (core and context per axis, rounded to the model's multiples); null for a 2D model. */
	public VolumeTiling volumeTiling() { return volumeTiling; }

	/**
	 * The condition channel's value for a told model: the blur sigma, which must be given and lie in the range the
	 * model was trained on (a network says nothing useful about a blur it never saw); null for a blind model.
	 */
	static Float condition(ModelInfo info, Double blurSigma) {
		if (!UNetSpec.BLUR_SIGMA.equals(info.condition())) return null;
		DegradationSpec trained = DegradationSpec.fromMap(info.degradation());
		double lo = trained.blurSigmaMin(), hi = trained.blurSigmaMax();
		String range = trained.blurRange();
		if (blurSigma == null)
			throw new IllegalArgumentException("Model '" + info.name() + "' is told the blur: give blur_sigma, the images' Gaussian blur sigma in pixels ("
					+ range + " px for this model)");
		if (!(blurSigma >= lo - 1e-9 && blurSigma <= hi + 1e-9))
			throw new IllegalArgumentException("blur_sigma " + blurSigma + " is outside the " + range + " px that model '" + info.name()
					+ "' was trained on; give a value in that range or use a blind model");
		return blurSigma.floatValue();
	}

	/** The model that restores the luminance beside this colour-difference model, or null. */
	public ModelInfo luminanceModel() { return luminance == null ? null : luminance.info(); }

	/** Whether the model reads a condition beside the image (it is told the blur sigma). */
	public boolean told() { return condition != null; }

	/** Copies of each tile whose outputs are averaged (1: none). */
	public int ensemble() { return ensemble; }

	/** Refuses an ensemble size other than 1, 2, 4 or 8. */
	public static void checkEnsemble(int ensemble) {
		if (ensemble != 1 && ensemble != 2 && ensemble != 4 && ensemble != 8) throw badEnsemble(String.valueOf(ensemble));
	}

	/** The one error for a bad {@code ensemble} value, as given. */
	public static IllegalArgumentException badEnsemble(String value) {
		return new IllegalArgumentException("ensemble must be 1, 2, 4 or 8 (copies of each tile, mirrored and rotated, whose outputs are averaged), got " + value);
	}

	/**
	 * Restores one plane. Its channels must equal the model's, or the model is single-channel and each
	 * channel is restored on its own. Returns null when {@code progress} cancelled.
	 */
	public FloatImage restore(FloatImage raw, Tiling.Progress progress) throws Exception {
		return restore(raw, 0, raw.height(), progress);
	}

	/**
	 * Restores only rows [{@code y0}, {@code y1}) of a plane, a band from {@link #band}: normalised with the whole
	 * plane's range and tiled with context from the whole plane, so it equals those rows of the whole result.
	 */
	public FloatImage restore(FloatImage raw, int y0, int y1, Tiling.Progress progress) throws Exception {
		FloatImage out = new FloatImage(raw.channels(), y1 - y0, raw.width());
		return restore(raw, y0, y1, out, progress) ? out : null;
	}

	/**
	 * The streaming form of {@link #restore(FloatImage, int, int, Tiling.Progress)}: tiles are read from {@code raw}
	 * and written to {@code out} (same channels and width, {@code y1 - y0} rows), normalised one tile at a time,
	 * so no copy of the plane is made. Its channels must equal the model's, or the model is single-channel and
	 * each channel is restored on its own. Returns false when {@code progress} cancelled.
	 */
	public boolean restore(PlaneView raw, int y0, int y1, PlaneView out, Tiling.Progress progress) throws Exception {
		if (is3d()) checkDepth(1);
		checkSize(raw.width(), raw.height());
		long bad = raw.countNonFinite();
		if (bad > 0)
			throw new IllegalArgumentException("The image has " + bad + " NaN or infinite pixels; replace them first (e.g. Process > Math > Remove NaNs)");
		if (out.channels() != raw.channels())
			throw new IllegalArgumentException("The output has " + out.channels() + " channels, the image " + raw.channels());
		if (luminance != null && raw.channels() != 3)
			throw new IllegalArgumentException("Model '" + info.name() + "' restores the colour of RGB images (their luminance goes through '"
					+ luminance.info().name() + "'); use '" + luminance.info().name() + "' for this " + raw.channels() + "-channel image");
		if (raw.channels() == info.channels()) return restoreMatching(raw, y0, y1, out, progress);
		if (info.channels() != 1)
			throw new IllegalArgumentException("Model '" + info.name() + "' expects " + info.channels() + " channels per plane but the image has "
					+ raw.channels() + "; use a model trained on " + raw.channels() + "-channel images");
		if (raw.channels() == 3 && colourThroughOpponent()) return restoreOpponent(raw, y0, y1, out, progress);
		for (int c = 0; c < raw.channels(); c++)
			if (!restoreMatching(raw.channel(c), y0, y1, out.channel(c), progress)) return false;
		return true;
	}

	/**
	 * Whether a grey model restores RGB in opponent colours ({@link OpponentColours}) rather than channel by channel:
	 * when it learnt a synthetic degradation, which acts on every channel alike, so it is the same problem in the
	 * rotated space. A model trained on given pairs may have learnt something channel-specific, and a self-supervised
	 * one learnt the noise of each colour channel on its own, so they keep the channels.
	 */
	public boolean colourThroughOpponent() {
		Object type = info.degradation().get("type");
		return info.channels() == 1 && type != null && DegradationSpec.TYPES.contains(type.toString());
	}

	/**
	 * RGB through a grey model in opponent colours: the three opponent channels of each tile go through the
	 * network, normalised with one range (measured over all three, so luminance and colour differences keep their
	 * relative scale), and each tile goes back to RGB before it is written.
	 */
	private boolean restoreOpponent(PlaneView rgb, int y0, int y1, PlaneView out, Tiling.Progress progress) throws Exception {
		PlaneView opponent = OpponentColours.view(rgb);
		Normalization.Range range = info.normalization().measure(opponent);
		return tiling.run(opponent, y0, y1, tiles -> {
			List<FloatImage> result = new ArrayList<>();
			for (FloatImage tile : tiles) {
				FloatImage restored = new FloatImage(3, tile.height(), tile.width());
				int n = tile.planeSize();
				FloatImage noisy = tile.copy();
				range.normalize(noisy);
				FloatImage noisyLuminance = luminance == null ? null : plane(noisy, 0);
				for (int c = 0; c < 3; c++) { // one channel per network call: a batch of three would triple its memory
					FloatImage one = plane(noisy, c);
					if (luminance == null) one = runEnsemble(List.of(one)).get(0);
					else if (c == 0) one = luminance.runEnsemble(List.of(one)).get(0);
					else one = runEnsemble(List.of(one.withChannels(noisyLuminance))).get(0); // a colour difference, told the noisy luminance
					range.denormalize(one);
					System.arraycopy(one.data(), 0, restored.data(), c * n, n);
				}
				OpponentColours.toRgb(restored);
				result.add(restored);
			}
			return result;
		}, out, progress);
	}

	/** A copy of channel {@code c} of a tile, as a one-channel image. */
	private static FloatImage plane(FloatImage tile, int c) {
		return Tiling.extract(tile.channel(c), 0, 0, tile.height(), tile.width());
	}

	/**
	 * Refuses images the network cannot see properly: below its receptive-field radius, tiles would be made
	 * mostly of mirrored copies of the image, which gives output that looks plausible but is not a restoration.
	 */
	public void checkSize(int width, int height) {
		if (width < 1 || height < 1)
			throw new IllegalArgumentException("The image is empty (" + width + "x" + height + " pixels); open or choose an image with pixels");
		int min = minimumSize();
		if (width < min || height < min)
			throw new IllegalArgumentException("The image is " + width + "x" + height + " pixels, smaller than the " + min + "x" + min
					+ " that model '" + info.name() + "' needs (its receptive field reaches " + info.context()
					+ " pixels); use a larger image or a model with a smaller depth");
	}

	/** Smallest width and height this model restores: one pixel more than its receptive-field radius. */
	public int minimumSize() {
		return info.context() + 1;
	}

	/** Pixel rows [from, to) of band {@code index} of {@code count} of an image this high: whole tile rows, for sharding one image. */
	public int[] band(int height, int index, int count) {
		return is3d() ? volumeTiling.band(height, index, count) : tiling.band(height, index, count);
	}

	/**
	 * Refuses a Z-stack a 3D model cannot restore: a single plane, or fewer planes than {@link #minimumDepth()}
	 * (2D models restore any number, plane by plane).
	 */
	public void checkDepth(int planes) {
		if (!is3d()) return;
		if (planes == 1)
			throw new IllegalArgumentException("Model '" + info.name() + "' is a 3D model: it restores Z-stacks, not single planes; open the whole Z-stack (at least "
					+ minimumDepth() + " planes) or use a 2D model");
		if (planes < minimumDepth())
			throw new IllegalArgumentException("The Z-stack has " + planes + " planes, fewer than the " + minimumDepth() + " that 3D model '" + info.name()
					+ "' needs (its poolings halve Z down to one plane every " + info.sizeMultipleZ() + "); use a stack of at least " + minimumDepth()
					+ " planes or a 2D model");
	}

	/**
	 * Fewest planes a 3D model restores: its Z size multiple, at least 2. Fewer, and every plane of its deepest level
	 * would be made of mirrored copies of the stack, which looks plausible but is not a restoration.
	 */
	public int minimumDepth() {
		return Math.max(2, info.sizeMultipleZ());
	}

	/** Restores one Z-stack with a 3D model (see {@link #restoreVolume}). Returns null when {@code progress} cancelled. */
	public FloatVolume restore(FloatVolume raw, Tiling.Progress progress) throws Exception {
		FloatVolume out = new FloatVolume(raw.channels(), raw.depth(), raw.height(), raw.width());
		return restoreVolume(raw.planes(), 0, raw.height(), out.planes(), progress) ? out : null;
	}

	/**
	 * Restores a Z-stack, given as its planes, with a 3D model: normalised with percentiles over the whole volume and
	 * tiled in Z, Y and X. Only rows [{@code y0}, {@code y1}) of every plane are written to {@code out} (its planes are
	 * {@code y1 - y0} rows high), a band from {@link #band}, equal to those rows of the whole result. The planes'
	 * channels must equal the model's, or the model is single-channel and each channel is restored on its own. Tiles
	 * stream from {@code raw} into {@code out}, so no copy of the stack is made (memory: see the class comment).
	 * Returns false when {@code progress} cancelled.
	 */
	public boolean restoreVolume(List<? extends PlaneView> raw, int y0, int y1, List<? extends PlaneView> out, Tiling.Progress progress) throws Exception {
		if (!is3d())
			throw new IllegalArgumentException("Model '" + info.name() + "' is a 2D model: it restores plane by plane; restore each plane, or use a 3D model");
		checkDepth(raw.size());
		PlaneView stack = PlaneView.stacked(raw);
		checkSize(stack.width(), raw.get(0).height());
		long bad = stack.countNonFinite();
		if (bad > 0)
			throw new IllegalArgumentException("The Z-stack has " + bad + " NaN or infinite pixels; replace them first (e.g. Process > Math > Remove NaNs)");
		if (out.size() != raw.size() || out.get(0).channels() != stack.channels())
			throw new IllegalArgumentException("The output has " + out.size() + " planes of " + out.get(0).channels() + " channels, the Z-stack "
					+ raw.size() + " of " + stack.channels());
		if (stack.channels() == info.channels()) return restoreMatchingVolume(raw, y0, y1, out, progress);
		if (info.channels() != 1)
			throw new IllegalArgumentException("Model '" + info.name() + "' expects " + info.channels() + " channels per plane but the image has "
					+ stack.channels() + "; use a model trained on " + stack.channels() + "-channel images");
		for (int c = 0; c < stack.channels(); c++) {
			int channel = c;
			if (!restoreMatchingVolume(raw.stream().map(p -> p.channel(channel)).toList(), y0, y1, out.stream().map(p -> p.channel(channel)).toList(), progress))
				return false;
		}
		return true;
	}

	private boolean restoreMatchingVolume(List<? extends PlaneView> raw, int y0, int y1, List<? extends PlaneView> out, Tiling.Progress progress) throws Exception {
		Normalization.Range range = info.normalization().measure(PlaneView.stacked(raw));
		return volumeTiling.run(raw, y0, y1, tiles -> {
			// a volume's CDHW array read as channels x depth planes: normalisation and the ensemble's mirrors and turns act plane-wise
			List<FloatImage> planes = new ArrayList<>(tiles.size());
			for (FloatVolume tile : tiles) {
				range.normalize(tile.asPlanes());
				planes.add(tile.asPlanes());
			}
			int depth = tiles.get(0).depth();
			List<FloatImage> restored = runEnsemble(planes, batch -> {
				List<FloatImage> outputs = new ArrayList<>(batch.size()); // the ensemble turns them back in place
				for (FloatVolume volume : runCheckedVolumes(batch.stream().map(p -> FloatVolume.ofPlanes(p, depth)).toList())) outputs.add(volume.asPlanes());
				return outputs;
			});
			List<FloatVolume> result = new ArrayList<>(restored.size());
			for (FloatImage tile : restored) {
				range.denormalize(tile);
				result.add(FloatVolume.ofPlanes(tile, depth));
			}
			return result;
		}, out, progress);
	}

	private boolean restoreMatching(PlaneView raw, int y0, int y1, PlaneView out, Tiling.Progress progress) throws Exception {
		Normalization.Range range = info.normalization().measure(raw);
		return tiling.run(raw, y0, y1, tiles -> {
			for (FloatImage tile : tiles) range.normalize(tile);
			List<FloatImage> restored = runEnsemble(tiles);
			for (FloatImage tile : restored) range.denormalize(tile);
			return restored;
		}, out, progress);
	}

	/**
	 * Tiles through the network, or with a self-ensemble each tile mirrored and rotated, through the network, turned
	 * back, and the outputs averaged: the network is not exactly equivariant, so its errors partly average out.
	 */
	private List<FloatImage> runEnsemble(List<FloatImage> tiles) throws IOException {
		return runEnsemble(tiles, this::runChecked);
	}

	/** The network as the ensemble calls it: tiles in, outputs out, one per tile. */
	@FunctionalInterface
	private interface Network {
		List<FloatImage> run(List<FloatImage> tiles) throws IOException;
	}

	/** {@link #runEnsemble(List)} through {@code network}: for a 3D model, each tile is the planes of a volume tile. */
	private List<FloatImage> runEnsemble(List<FloatImage> tiles, Network network) throws IOException {
		if (ensemble == 1) return network.run(tiles);
		List<FloatImage> sum = null;
		for (int e = 0; e < ensemble; e++) {
			int symmetry = ENSEMBLE_ORDER[e];
			List<FloatImage> turned = new ArrayList<>(tiles.size());
			for (FloatImage tile : tiles) turned.add(Symmetries.apply(tile, symmetry));
			List<FloatImage> out = network.run(turned);
			for (int i = 0; i < out.size(); i++) out.set(i, Symmetries.undo(out.get(i), symmetry));
			if (sum == null) sum = out;
			else for (int i = 0; i < out.size(); i++) {
				float[] s = sum.get(i).data(), o = out.get(i).data();
				for (int j = 0; j < s.length; j++) s[j] += o[j];
			}
		}
		for (FloatImage tile : sum) {
			float[] s = tile.data();
			for (int j = 0; j < s.length; j++) s[j] /= ensemble;
		}
		return sum;
	}

	/**
	 * Tiles through the network, a told model's with its condition channel added; the output must have each tile's
	 * height and width and the model's channels (a luminance-told model's tiles carry the luminance as well), which
	 * the tiling relies on.
	 */
	private List<FloatImage> runChecked(List<FloatImage> tiles) throws IOException {
		List<FloatImage> in = tiles;
		if (condition != null) {
			in = new ArrayList<>(tiles.size());
			for (FloatImage tile : tiles) in.add(tile.withConstantChannel(condition));
		}
		List<FloatImage> out = network.run(in);
		for (int i = 0; i < tiles.size(); i++)
			if (out.get(i).channels() != info.channels() || out.get(i).height() != tiles.get(i).height() || out.get(i).width() != tiles.get(i).width())
				throw new IOException("Model '" + info.name() + "' returned a " + out.get(i).channels() + "x" + out.get(i).height() + "x" + out.get(i).width()
						+ " tile for a " + tiles.get(i).channels() + "x" + tiles.get(i).height() + "x" + tiles.get(i).width()
						+ " one; its graph does not fit its metadata: use a model written by Imagify Train");
		return out;
	}

	/** {@link #runChecked} for a 3D model's volume tiles. */
	private List<FloatVolume> runCheckedVolumes(List<FloatVolume> tiles) throws IOException {
		List<FloatVolume> in = tiles;
		if (condition != null) in = tiles.stream().map(tile -> tile.withConstantChannel(condition)).toList();
		List<FloatVolume> out = network.runVolumes(in);
		for (int i = 0; i < tiles.size(); i++) {
			FloatVolume o = out.get(i), t = tiles.get(i);
			if (o.channels() != info.channels() || o.depth() != t.depth() || o.height() != t.height() || o.width() != t.width())
				throw new IOException("Model '" + info.name() + "' returned a " + o.channels() + "x" + o.depth() + "x" + o.height() + "x" + o.width()
						+ " tile for a " + t.channels() + "x" + t.depth() + "x" + t.height() + "x" + t.width()
						+ " one; its graph does not fit its metadata: use a model written by Imagify Train");
		}
		return out;
	}

	@Override
	public void close() {
		network.close();
		if (luminance != null) luminance.close();
	}
}
