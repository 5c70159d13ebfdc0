package io.github.imagify.onnx;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import onnx.Onnx.ModelProto;
import onnx.Onnx.TensorProto;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import io.github.imagify.model.UNet;

/**
 * The inverse of {@link OnnxExporter} for the weights: copies the {@code <vertex>.W} / {@code <vertex>.b}
 * initializers of a model we exported into a DL4J graph of the same architecture, so training can start from a
 * trained model (fine-tuning), which the model file keeps only as ONNX. A blur pool's fixed kernels are not copied:
 * the graph has them from {@link UNet#build}.
 */
public final class OnnxWeights {

	private OnnxWeights() {}

	/**
	 * Sets every parameter of {@code graph} from the initializer of the same name and shape in {@code onnx}; fails,
	 * naming the parameter, when one is missing or differs in shape, or when the model has weights the graph lacks.
	 */
	public static void copyInto(byte[] onnx, ComputationGraph graph) throws IOException {
		copyInto(onnx, graph, false);
	}

	/**
	 * As {@link #copyInto(byte[], ComputationGraph)}; with {@code addCondition}, {@code graph} is told a condition
	 * (a non-blind U-Net) that the blind model in {@code onnx} was not: the first convolution's weights for the extra
	 * input channel start at zero, so the network starts as the blind model.
	 */
	public static void copyInto(byte[] onnx, ComputationGraph graph, boolean addCondition) throws IOException {
		copyInto(onnx, graph, addCondition, false);
	}

	/**
	 * As {@link #copyInto(byte[], ComputationGraph, boolean)}; with {@code addRefineConvs}, {@code graph} may have
	 * refinement convolutions ({@link UNet#REFINE}) that the model lacks: they start as identities (the centre tap of
	 * each filter's own channel 1, the rest and the bias 0), which pass their input through unchanged, as it is the
	 * output of a ReLU and so not negative. The network then starts as the model.
	 */
	public static void copyInto(byte[] onnx, ComputationGraph graph, boolean addCondition, boolean addRefineConvs) throws IOException {
		copyInto(onnx, graph, addCondition, addRefineConvs, false);
	}

	/**
	 * As {@link #copyInto(byte[], ComputationGraph, boolean, boolean)}; with {@code widen}, {@code graph} may have more
	 * filters per layer than the model (a larger {@code base_filters}): the model's weights fill the leading filters, the
	 * added filters keep their random start, and the weights from added filters into the model's are zero. The model's
	 * filters then compute what they did and the added ones do not reach the output, so the network starts as the
	 * model; training connects them (their outgoing weights get gradients at once, as the added filters are not zero).
	 */
	public static void copyInto(byte[] onnx, ComputationGraph graph, boolean addCondition, boolean addRefineConvs, boolean widen) throws IOException {
		Map<String, TensorProto> weights = new HashMap<>();
		for (TensorProto t : ModelProto.parseFrom(onnx).getGraph().getInitializerList()) weights.put(t.getName(), t);
		for (Layer layer : graph.getLayers()) {
			String vertex = layer.conf().getLayer().getLayerName();
			if (addRefineConvs && vertex.startsWith(UNet.REFINE) && !weights.containsKey(vertex + ".W")) {
				startAsIdentity(layer);
				continue;
			}
			if (UNet.isBlur(vertex)) { // a blur pool's fixed kernel, which the graph holds from its build (and in another layout)
				if (weights.remove(vertex + ".W") == null)
					throw new IOException("The model has no weights '" + vertex + ".W' for this network; start from a model of the same architecture");
				continue;
			}
			boolean transposed = layer.conf().getLayer() instanceof Deconvolution2D; // W [nIn, nOut, kH, kW], a convolution's [nOut, nIn, kH, kW]
			boolean transposed3d = layer.conf().getLayer() instanceof Deconvolution3D; // W [kD, kH, kW, nOut, nIn], ONNX's [nIn, nOut, kD, kH, kW]
			for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
				String name = vertex + "." + param.getKey();
				TensorProto t = weights.remove(name);
				if (t == null) throw new IOException("The model has no weights '" + name + "' for this network; start from a model of the same architecture");
				long[] shape = param.getValue().shape();
				long[] stored = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
				boolean permuted = transposed3d && stored.length == 5;
				long[] theirs = permuted ? new long[] { stored[2], stored[3], stored[4], stored[1], stored[0] } : stored; // in DL4J's order
				INDArray target = param.getValue();
				// a wider network grows any layer; a condition only adds one input channel to the first convolution (2D layouts only)
				boolean grown = shape.length <= 4 && !Arrays.equals(shape, theirs) && fitsInside(theirs, shape) && (widen
						|| addCondition && vertex.equals(UNet.FIRST_CONV) && shape.length == 4 && theirs[0] == shape[0] && theirs[1] == shape[1] - 1);
				if (!grown && !Arrays.equals(shape, theirs))
					throw new IOException("The model's weights '" + name + "' have shape " + Arrays.toString(theirs) + ", the network's " + Arrays.toString(shape)
							+ "; start from a model of the same architecture");
				long count = Arrays.stream(theirs).reduce(1, (a, b) -> a * b);
				if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE || t.getRawData().size() != 4L * count)
					throw new IOException("The model's weights '" + name + "' are not " + count + " raw floats; use a model written by Imagify Train");
				float[] values = new float[(int) count];
				FloatBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
				raw.get(values);
				// C order, as the exporter wrote them; assign keeps the parameter a view of the graph's flat buffer
				INDArray model = Nd4j.create(values, stored, 'c').castTo(target.dataType());
				if (permuted) model = model.permute(2, 3, 4, 1, 0);
				if (grown) copyGrown(model, target, transposed ? 1 : 0, transposed ? 0 : 1, UNet.readsSkipConcat(graph, vertex));
				else target.assign(model);
			}
		}
		// the input-scaling constant and a channel selection's, not trained weights
		weights.keySet().removeIf(n -> n.endsWith(GraphTranslator.FACTOR) || n.endsWith(GraphTranslator.SELECTION));
		if (!weights.isEmpty())
			throw new IOException("The model has weights this network lacks: " + weights.keySet() + "; start from a model of the same architecture");
	}

	private static boolean fitsInside(long[] theirs, long[] shape) {
		if (theirs.length != shape.length) return false;
		for (int i = 0; i < shape.length; i++)
			if (theirs[i] > shape[i] || (i >= 2 && theirs[i] != shape[i])) return false; // more channels, never another kernel
		return true;
	}

	/**
	 * Puts a model's parameter into the leading channels of a larger one. A bias: the model's, then zeros. Weights: the
	 * model's filters' weights from the model's input channels as they were, from added input channels zero, so the
	 * model's filters compute what they did; the added filters' weights stay as initialised. A convolution that reads a
	 * decoder level's concatenation finds the model's input channels in two runs, the upsampled ones then the skip's,
	 * each at the start of its half.
	 */
	private static void copyGrown(INDArray model, INDArray target, int outAxis, int inAxis, boolean concatenatedInput) {
		if (target.rank() == 1) {
			target.assign(0);
			target.get(NDArrayIndex.interval(0, model.size(0))).assign(model);
			return;
		}
		long modelOut = model.size(outAxis), modelIn = model.size(inAxis), in = target.size(inAxis);
		INDArray kept = target.get(range(outAxis, 0, modelOut, inAxis, 0, in));
		kept.assign(0);
		if (!concatenatedInput) {
			kept.get(range(outAxis, 0, modelOut, inAxis, 0, modelIn)).assign(model);
			return;
		}
		if (modelIn % 2 != 0 || in % 2 != 0) throw new IllegalStateException("A concatenation of two equal halves expected, got " + modelIn + " and " + in + " channels");
		long half = modelIn / 2;
		kept.get(range(outAxis, 0, modelOut, inAxis, 0, half)).assign(model.get(range(outAxis, 0, modelOut, inAxis, 0, half)));
		kept.get(range(outAxis, 0, modelOut, inAxis, in / 2, in / 2 + half)).assign(model.get(range(outAxis, 0, modelOut, inAxis, half, modelIn)));
	}

	/** Indexes of a rank-4 weight: the given intervals on the output and input axes, all of the kernel. */
	private static INDArrayIndex[] range(int outAxis, long outFrom, long outTo, int inAxis, long inFrom, long inTo) {
		INDArrayIndex[] index = { NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all() };
		index[outAxis] = NDArrayIndex.interval(outFrom, outTo);
		index[inAxis] = NDArrayIndex.interval(inFrom, inTo);
		return index;
	}

	/** W [out, in, kH, kW] or, in 3D, [out, in, kD, kH, kW]: 1 at the centre tap of each filter's own channel. */
	private static void startAsIdentity(Layer layer) {
		INDArray w = layer.getParam("W"), b = layer.getParam("b");
		if ((w.rank() != 4 && w.rank() != 5) || w.size(0) != w.size(1))
			throw new IllegalStateException("Refinement layer " + layer.conf().getLayer().getLayerName() + " is not a square convolution: " + Arrays.toString(w.shape()));
		w.assign(0);
		b.assign(0);
		long[] at = new long[w.rank()];
		for (int i = 2; i < at.length; i++) at[i] = w.size(i) / 2;
		for (long c = 0; c < w.size(0); c++) {
			at[0] = at[1] = c;
			w.putScalar(at, 1f);
		}
	}
}
