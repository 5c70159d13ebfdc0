package io.github.imagify.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.Cnn3DLossLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.Subsampling3DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Walks a DL4J {@link ComputationGraph} in topological order and emits one ONNX node group per vertex.
 * The graph input becomes {@code input} and the graph output {@code output} (through an Identity node
 * that ONNX Runtime optimises away), so consumers never depend on DL4J vertex names. A graph of 3D layers
 * (Convolution3D, ...) takes and gives {@code [batch, channels, depth, height, width]}.
 */
final class GraphTranslator {

	/** Name endings of the constants the translation adds: a ScaleVertex's factor, a SubsetVertex's selection weights. */
	static final String FACTOR = ".factor", SELECTION = ".selection";

	private final ComputationGraphConfiguration conf;
	private final OnnxGraph out = new OnnxGraph();
	private final LayerTranslator layers;
	private final Map<String, Value> values = new HashMap<>();

	GraphTranslator(ComputationGraph net) {
		this.conf = net.getConfiguration();
		this.layers = new LayerTranslator(net, out);
	}

	static IllegalArgumentException unsupported(String vertex, String what) {
		return new IllegalArgumentException("Cannot export vertex '" + vertex + "' to ONNX: unsupported " + what);
	}

	GraphProto translate(String docString) {
		if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1)
			throw new IllegalArgumentException("Cannot export to ONNX: the graph must have exactly one input and one output, " +
				"it has inputs " + conf.getNetworkInputs() + " and outputs " + conf.getNetworkOutputs());
		String inputVertex = conf.getNetworkInputs().get(0);
		out.reserve(OnnxExporter.INPUT);
		out.reserve(OnnxExporter.OUTPUT);
		long channels = inputChannels(inputVertex);
		values.put(inputVertex, Value.input(OnnxExporter.INPUT, channels));

		for (String v : conf.getTopologicalOrderStr()) {
			if (values.containsKey(v)) continue; // the network input
			List<Value> inputs = new ArrayList<>();
			for (String i : conf.getVertexInputs().get(v)) inputs.add(values.get(i));
			values.put(v, vertex(v, conf.getVertices().get(v), inputs));
		}

		Value result = values.get(conf.getNetworkOutputs().get(0));
		out.node("Identity", OnnxExporter.OUTPUT, List.of(result.name()), OnnxExporter.OUTPUT);
		boolean same = result.sameSizeAsInput();
		if (isVolume()) {
			boolean sameDepth = result.sameDepthAsInput();
			out.input(OnnxGraph.floatTensor(OnnxExporter.INPUT, "batch", dim(channels), "depth", "height", "width"));
			out.output(OnnxGraph.floatTensor(OnnxExporter.OUTPUT, "batch", dim(result.channels()), sameDepth ? "depth" : "out_depth",
				same ? "height" : "out_height", same ? "width" : "out_width"));
			return out.build("imagify", docString);
		}
		out.input(OnnxGraph.floatTensor(OnnxExporter.INPUT, "batch", dim(channels), "height", "width"));
		out.output(OnnxGraph.floatTensor(OnnxExporter.OUTPUT, "batch", dim(result.channels()),
			same ? "height" : "out_height", same ? "width" : "out_width"));
		return out.build("imagify", docString);
	}

	/** Whether the graph works on volumes (NCDHW): it has 3D layers (DL4J cannot mix them with 2D ones without preprocessors, which are refused). */
	private boolean isVolume() {
		for (GraphVertex vertex : conf.getVertices().values()) {
			if (!(vertex instanceof LayerVertex lv)) continue;
			Class<?> type = lv.getLayerConf().getLayer().getClass();
			if (type == Convolution3D.class || type == Deconvolution3D.class || type == Subsampling3DLayer.class || type == Cnn3DLossLayer.class)
				return true;
		}
		return false;
	}

	private Value vertex(String v, GraphVertex vertex, List<Value> in) {
		if (vertex instanceof LayerVertex lv) {
			if (lv.getPreProcessor() != null)
				throw unsupported(v, "input preprocessor " + lv.getPreProcessor().getClass().getSimpleName());
			return layers.translate(v, lv.getLayerConf().getLayer(), in.get(0));
		}
		if (vertex instanceof MergeVertex m) {
			if (m.getMergeAxis() != 1) throw unsupported(v, "MergeVertex axis " + m.getMergeAxis() + " (only 1, channels)");
			if (in.size() == 1) return in.get(0);
			long channels = in.stream().allMatch(x -> x.channels() != Value.UNKNOWN)
				? in.stream().mapToLong(Value::channels).sum() : Value.UNKNOWN;
			return emit("Concat", v, in, channels, OnnxGraph.integer("axis", 1));
		}
		if (vertex instanceof ScaleVertex s) {
			String factor = out.initializer(v + FACTOR, new long[0], new float[] { (float) s.getScaleFactor() });
			String name = out.tensorName(v);
			out.node("Mul", v, List.of(in.get(0).name(), factor), name);
			return in.get(0).renamed(name, in.get(0).channels());
		}
		if (vertex instanceof ElementWiseVertex e) return elementWise(v, e.getOp(), in);
		if (vertex instanceof SubsetVertex s) return subset(v, s, in.get(0));
		throw unsupported(v, "vertex type " + vertex.getClass().getSimpleName() +
			" (supported: layers, MergeVertex, ScaleVertex, SubsetVertex, ElementWiseVertex Add/Subtract/Product)");
	}

	/**
	 * A SubsetVertex (channels from..to) as a 1x1 convolution whose weights pick those channels: exact (ones and zeros),
	 * and an operator every consumer of our graphs already runs, so no Slice with its integer inputs is needed.
	 */
	private Value subset(String v, SubsetVertex s, Value in) {
		int from = s.getFrom(), to = s.getTo();
		long inChannels = in.channels();
		if (inChannels == Value.UNKNOWN || from < 0 || to < from || to >= inChannels)
			throw unsupported(v, "SubsetVertex " + from + ".." + to + " of " + inChannels + " channels");
		int outChannels = to - from + 1;
		float[] w = new float[(int) (outChannels * inChannels)];
		for (int c = 0; c < outChannels; c++) w[(int) (c * inChannels) + from + c] = 1;
		String weights = out.initializer(v + SELECTION, new long[] { outChannels, inChannels, 1, 1 }, w);
		String name = out.tensorName(v);
		out.node("Conv", v, List.of(in.name(), weights), name, OnnxGraph.ints("kernel_shape", 1, 1));
		return in.renamed(name, outChannels);
	}

	private Value elementWise(String v, ElementWiseVertex.Op op, List<Value> in) {
		long channels = in.stream().mapToLong(Value::channels).max().orElse(Value.UNKNOWN);
		switch (op) {
			case Subtract:
				if (in.size() != 2) throw unsupported(v, "Subtract with " + in.size() + " inputs");
				return emit("Sub", v, in, channels);
			case Add:
			case Product: // ONNX Add and Mul are binary: chain them
				String onnxOp = op == ElementWiseVertex.Op.Add ? "Add" : "Mul";
				Value acc = in.get(0);
				for (int i = 1; i < in.size(); i++) {
					String base = i == in.size() - 1 ? v : v + "_partial";
					acc = emit(onnxOp, v, base, List.of(acc, in.get(i)), channels);
				}
				return Value.combined(acc.name(), channels, in);
			default:
				throw unsupported(v, "ElementWiseVertex op " + op + " (supported: Add, Subtract, Product)");
		}
	}

	private Value emit(String op, String v, List<Value> in, long channels, AttributeProto... attrs) {
		return emit(op, v, v, in, channels, attrs);
	}

	private Value emit(String op, String v, String tensorBase, List<Value> in, long channels, AttributeProto... attrs) {
		String name = out.tensorName(tensorBase);
		out.node(op, v, in.stream().map(Value::name).toList(), name, attrs);
		return Value.combined(name, channels, in);
	}

	/**
	 * The input's channel count, read from the first convolution downstream of it through
	 * channel-preserving vertices; {@link Value#UNKNOWN} if there is none.
	 */
	private long inputChannels(String inputVertex) {
		Set<String> sameChannels = new HashSet<>(Set.of(inputVertex));
		for (String v : conf.getTopologicalOrderStr()) {
			List<String> inputs = conf.getVertexInputs().get(v);
			if (inputs == null || inputs.stream().noneMatch(sameChannels::contains)) continue;
			GraphVertex vertex = conf.getVertices().get(v);
			if (vertex instanceof ScaleVertex || vertex instanceof ElementWiseVertex) sameChannels.add(v);
			if (!(vertex instanceof LayerVertex lv)) continue;
			Layer layer = lv.getLayerConf().getLayer();
			Class<?> type = layer.getClass();
			if (type == ConvolutionLayer.class || type == Deconvolution2D.class || type == Convolution3D.class || type == Deconvolution3D.class)
				return ((FeedForwardLayer) layer).getNIn();
			if (type == SubsamplingLayer.class || type == DropoutLayer.class || type == ActivationLayer.class ||
				type == CnnLossLayer.class || type == Subsampling3DLayer.class || type == Cnn3DLossLayer.class) sameChannels.add(v);
		}
		return Value.UNKNOWN;
	}

	private static Object dim(long channels) {
		return channels == Value.UNKNOWN ? (Object) "channels" : (Object) channels;
	}
}
