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
		Map<String, TensorProto> weights = new HashMap<>();
		for (TensorProto t : ModelProto.parseFrom(onnx).getGraph().getInitializerList()) weights.put(t.getName(), t);
		for (Layer layer : graph.getLayers()) {
			String vertex = layer.conf().getLayer().getLayerName();
			for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
				String name = vertex + "." + param.getKey();
				TensorProto t = weights.remove(name);
				if (t == null) throw new IOException("The model has no weights '" + name + "' for this network; start from a model of the same architecture");
				long[] shape = param.getValue().shape();
				if (!Arrays.equals(shape, t.getDimsList().stream().mapToLong(Long::longValue).toArray()))
					throw new IOException("The model's weights '" + name + "' have shape " + t.getDimsList() + ", the network's " + Arrays.toString(shape)
							+ "; start from a model of the same architecture");
				if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE || t.getRawData().size() != 4L * param.getValue().length())
					throw new IOException("The model's weights '" + name + "' are not " + param.getValue().length() + " raw floats; use a model written by Imagify Train");
				float[] values = new float[(int) param.getValue().length()];
				FloatBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
				raw.get(values);
				// C order, as the exporter wrote them; assign keeps the parameter a view of the graph's flat buffer
				param.getValue().assign(Nd4j.create(values, shape, 'c').castTo(param.getValue().dataType()));
			}
		}
		weights.keySet().removeIf(n -> n.endsWith(".factor")); // the input-scaling constant, not a trained weight
		if (!weights.isEmpty())
			throw new IOException("The model has weights this network lacks: " + weights.keySet() + "; start from a model of the same architecture");
	}
}
