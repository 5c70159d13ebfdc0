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
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import io.github.imagify.model.UNet;

/**
 * The inverse of {@link OnnxExporter} for the weights: copies the {@code <vertex>.W} / {@code <vertex>.b}
 * initializers of a model we exported into a DL4J graph of the same architecture, so training can start from a
 * trained model (fine-tuning), which the model file keeps only as ONNX.
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
		Map<String, TensorProto> weights = new HashMap<>();
		for (TensorProto t : ModelProto.parseFrom(onnx).getGraph().getInitializerList()) weights.put(t.getName(), t);
		for (Layer layer : graph.getLayers()) {
			String vertex = layer.conf().getLayer().getLayerName();
			if (addRefineConvs && vertex.startsWith(UNet.REFINE) && !weights.containsKey(vertex + ".W")) {
				startAsIdentity(layer);
				continue;
			}
			for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
				String name = vertex + "." + param.getKey();
				TensorProto t = weights.remove(name);
				if (t == null) throw new IOException("The model has no weights '" + name + "' for this network; start from a model of the same architecture");
				long[] shape = param.getValue().shape();
				long[] theirs = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
				INDArray target = param.getValue();
				if (addCondition && vertex.equals(UNet.FIRST_CONV) && shape.length == 4 && theirs.length == 4 && theirs[1] == shape[1] - 1) {
					target.assign(0); // the condition channel's weights
					target = target.get(NDArrayIndex.all(), NDArrayIndex.interval(0, theirs[1]), NDArrayIndex.all(), NDArrayIndex.all());
					shape = theirs;
				}
				if (!Arrays.equals(shape, theirs))
					throw new IOException("The model's weights '" + name + "' have shape " + t.getDimsList() + ", the network's " + Arrays.toString(shape)
							+ "; start from a model of the same architecture");
				if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE || t.getRawData().size() != 4L * target.length())
					throw new IOException("The model's weights '" + name + "' are not " + target.length() + " raw floats; use a model written by Imagify Train");
				float[] values = new float[(int) target.length()];
				FloatBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
				raw.get(values);
				// C order, as the exporter wrote them; assign keeps the parameter a view of the graph's flat buffer
				target.assign(Nd4j.create(values, shape, 'c').castTo(target.dataType()));
			}
		}
		// the input-scaling constant and a channel selection's, not trained weights
		weights.keySet().removeIf(n -> n.endsWith(GraphTranslator.FACTOR) || n.endsWith(GraphTranslator.SELECTION));
		if (!weights.isEmpty())
			throw new IOException("The model has weights this network lacks: " + weights.keySet() + "; start from a model of the same architecture");
	}

	private static void startAsIdentity(Layer layer) {
		INDArray w = layer.getParam("W"), b = layer.getParam("b");
		if (w.rank() != 4 || w.size(0) != w.size(1))
			throw new IllegalStateException("Refinement layer " + layer.conf().getLayer().getLayerName() + " is not a square convolution: " + Arrays.toString(w.shape()));
		w.assign(0);
		b.assign(0);
		long centreY = w.size(2) / 2, centreX = w.size(3) / 2;
		for (long c = 0; c < w.size(0); c++) w.putScalar(new long[] { c, c, centreY, centreX }, 1f);
	}
}
