package io.github.imagify.ort;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import io.github.imagify.image.FloatImage;
import io.github.imagify.image.FloatVolume;
import io.github.imagify.plugin.PluginClassLoader;
import io.github.imagify.plugin.ThirdPartyLogs;

/**
 * An ONNX graph run by ONNX Runtime through the Deep Java Library. Thread-safe: ONNX Runtime sessions
 * may run concurrently, and each call gets its own DJL predictor (predictors are not thread-safe).
 */
public final class OnnxNetwork implements AutoCloseable {

	static {
		// DJL would otherwise look for other engines and probe a cloud metadata address: we are offline.
		System.setProperty("ai.djl.onnx.disable_alternative", "true");
		System.setProperty("OPT_OUT_TRACKING", "true");
		ThirdPartyLogs.quiet();
	}

	private final Model model;

	/**
	 * @param onnx    the ONNX graph
	 * @param threads intra-op threads for ONNX Runtime (0 = one per core)
	 */
	public OnnxNetwork(byte[] onnx, int threads) throws IOException {
		Map<String, String> options = sessionOptions(threads);
		Model m = null;
		try {
			m = PluginClassLoader.asContext(() -> Model.newInstance("imagify", Device.cpu(), "OnnxRuntime"));
			Model loading = m;
			PluginClassLoader.asContext(() -> {
				loading.load(new ByteArrayInputStream(onnx), options);
				return null;
			});
		} catch (Exception e) {
			if (m != null) m.close();
			if (e instanceof MalformedModelException || e instanceof EngineException)
				throw new IOException("ONNX Runtime cannot load the model graph: " + rootMessage(e) + "; use a model written by Imagify Train", e);
			if (e instanceof IOException io) throw io;
			if (e instanceof RuntimeException re) throw re;
			throw new IOException(e);
		}
		this.model = m;
		OrtTempFolder.removeAtExit(); // ONNX Runtime has unpacked its libraries by now
	}

	/** ONNX Runtime settings each of these may override as a system property {@code imagify.ort.<name>}, for measuring. */
	static final List<String> TUNABLE = List.of("optLevel", "memoryPatternOptimization", "cpuArenaAllocator", "executionMode", "interOpNumThreads");

	/**
	 * The session settings: one intra-op thread per core (or {@code threads}), all graph optimisations (they fuse
	 * Conv+Relu), memory pattern and arena on, sequential execution. Chosen by measurement on the bundled model
	 * (README, "Benchmark"); {@code -Dimagify.ort.<name>=value} overrides one of {@link #TUNABLE} to measure others.
	 */
	public static Map<String, String> sessionOptions(int threads) {
		int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
		// DJL reads intraOp only together with interOp
		Map<String, String> options = new LinkedHashMap<>(Map.of("interOpNumThreads", "1", "intraOpNumThreads", Integer.toString(n),
				"optLevel", "ALL_OPT", "memoryPatternOptimization", "true", "cpuArenaAllocator", "true", "executionMode", "SEQUENTIAL"));
		for (String key : TUNABLE) {
			String value = System.getProperty("imagify.ort." + key);
			if (value != null && !value.isBlank()) options.put(key, value.trim());
		}
		return options;
	}

	/**
	 * Runs the network on tiles of one size (NCHW); returns one output image per tile.
	 *
	 * @throws IOException when ONNX Runtime fails or returns something other than one image per tile
	 */
	public List<FloatImage> run(List<FloatImage> tiles) throws IOException {
		FloatImage first = tiles.get(0);
		float[] batch = new float[tiles.size() * first.data().length];
		for (int i = 0; i < tiles.size(); i++) {
			FloatImage t = tiles.get(i);
			if (!t.sameShape(first)) throw new IllegalArgumentException("Tiles of one batch must share a shape");
			System.arraycopy(t.data(), 0, batch, i * t.data().length, t.data().length);
		}
		Output out = predict(batch, new long[] { tiles.size(), first.channels(), first.height(), first.width() });
		List<FloatImage> images = new ArrayList<>(tiles.size());
		for (int i = 0; i < tiles.size(); i++)
			images.add(new FloatImage((int) out.shape[1], (int) out.shape[2], (int) out.shape[3], out.sample(i)));
		return images;
	}

	/**
	 * Runs a 3D network on volume tiles of one size (NCDHW); returns one output volume per tile.
	 *
	 * @throws IOException when ONNX Runtime fails or returns something other than one volume per tile
	 */
	public List<FloatVolume> runVolumes(List<FloatVolume> tiles) throws IOException {
		FloatVolume first = tiles.get(0);
		float[] batch = new float[tiles.size() * first.data().length];
		for (int i = 0; i < tiles.size(); i++) {
			FloatVolume t = tiles.get(i);
			if (!t.sameShape(first)) throw new IllegalArgumentException("Tiles of one batch must share a shape");
			System.arraycopy(t.data(), 0, batch, i * t.data().length, t.data().length);
		}
		Output out = predict(batch, new long[] { tiles.size(), first.channels(), first.depth(), first.height(), first.width() });
		List<FloatVolume> volumes = new ArrayList<>(tiles.size());
		for (int i = 0; i < tiles.size(); i++)
			volumes.add(new FloatVolume((int) out.shape[1], (int) out.shape[2], (int) out.shape[3], (int) out.shape[4], out.sample(i)));
		return volumes;
	}

	/** The network's one output: its shape (same rank as the input's, batch first) and values. */
	private record Output(long[] shape, float[] values) {
		/** The values of sample {@code i} of the batch. */
		float[] sample(int i) {
			int per = values.length / (int) shape[0];
			return Arrays.copyOfRange(values, i * per, (i + 1) * per);
		}
	}

	/** Runs a batch of {@code shape} (NCHW or NCDHW) through the network; the output must be one tensor of that rank and batch size. */
	private Output predict(float[] batch, long[] shape) throws IOException {
		long tiles = shape[0];
		try (NDManager manager = model.getNDManager().newSubManager();
				Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
			NDArray input = manager.create(batch, new Shape(shape));
			NDList output = predictor.predict(new NDList(input));
			long[] got = output.size() == 1 ? output.get(0).getShape().getShape() : new long[0];
			if (got.length != shape.length || got[0] != tiles || LongStream.of(got).anyMatch(d -> d < 1 || d > Integer.MAX_VALUE))
				throw new IOException("The network returned " + output.size() + " outputs of shape " + Arrays.toString(got) + " for "
						+ tiles + " tiles of shape " + Arrays.toString(Arrays.copyOfRange(shape, 1, shape.length))
						+ "; the model file is damaged: use a model written by Imagify Train");
			float[] values = output.get(0).toFloatArray();
			output.close();
			if (LongStream.of(got).reduce(1, Math::multiplyExact) != values.length)
				throw new IOException("The network returned " + values.length + " values for shape " + Arrays.toString(got)
						+ "; the model file is damaged: use a model written by Imagify Train");
			return new Output(got, values);
		} catch (TranslateException | EngineException e) {
			// a graph that passed the load-time check can still fail on a tile's size (e.g. mismatched joins)
			throw new IOException("ONNX Runtime failed to run the model: " + rootMessage(e) + "; the model file is damaged or does not fit its metadata: use a model written by Imagify Train", e);
		}
	}

	/** A dense float tensor: values in C order and their shape, e.g. a 3D model's NCDHW batch. */
	public record Batch(float[] values, long[] shape) {

		public Batch {
			long n = 1;
			for (long d : shape) n *= d;
			if (shape.length == 0 || n != values.length)
				throw new IllegalArgumentException(values.length + " values do not fill shape " + Arrays.toString(shape));
		}
	}

	/**
	 * Runs the network on one batch of any rank (the volumes of a 3D model: {@code [batch, C, depth, height, width]});
	 * the output must have the input's rank and batch size.
	 *
	 * @throws IOException when ONNX Runtime fails or returns something else
	 */
	public Batch run(Batch input) throws IOException {
		try (NDManager manager = model.getNDManager().newSubManager();
				Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
			NDList output = predictor.predict(new NDList(manager.create(input.values(), new Shape(input.shape()))));
			long[] shape = output.size() == 1 ? output.get(0).getShape().getShape() : new long[0];
			if (shape.length != input.shape().length || shape[0] != input.shape()[0] || LongStream.of(shape).anyMatch(d -> d < 1 || d > Integer.MAX_VALUE))
				throw new IOException("The network returned " + output.size() + " outputs of shape " + Arrays.toString(shape) + " for an input of shape "
						+ Arrays.toString(input.shape()) + "; the model file is damaged: use a model written by Imagify Train");
			float[] values = output.get(0).toFloatArray();
			output.close();
			if (LongStream.of(shape).reduce(1, (a, b) -> a * b) != values.length)
				throw new IOException("The network returned " + values.length + " values for shape " + Arrays.toString(shape)
						+ "; the model file is damaged: use a model written by Imagify Train");
			return new Batch(values, shape);
		} catch (TranslateException | EngineException e) {
			throw new IOException("ONNX Runtime failed to run the model: " + rootMessage(e) + "; the model file is damaged or does not fit its metadata: use a model written by Imagify Train", e);
		}
	}

	@Override
	public void close() {
		model.close();
	}

	/** The innermost message, on one line (ONNX Runtime's may span several). */
	private static String rootMessage(Throwable t) {
		while (t.getCause() != null) t = t.getCause();
		return String.valueOf(t.getMessage()).replaceAll("\\s+", " ").trim();
	}
}
