package io.github.imagify.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.nd4j.shade.protobuf.ByteString;

/**
 * A thin builder over the ONNX {@link GraphProto} (the protobuf classes shipped inside nd4j-api, with
 * nd4j's shaded protobuf runtime, so no protobuf version can clash inside Fiji). It keeps tensor and node
 * names unique, so names derived from DL4J vertex names stay readable and never collide.
 */
final class OnnxGraph {

	private final GraphProto.Builder graph = GraphProto.newBuilder();
	private final Set<String> tensorNames = new HashSet<>();
	private final Set<String> nodeNames = new HashSet<>();

	/** Marks a tensor name as taken (the graph's input and output names). */
	void reserve(String tensorName) {
		tensorNames.add(tensorName);
	}

	/** {@code base}, or {@code base_1}, {@code base_2}, ... if taken; the returned name is then taken. */
	String tensorName(String base) {
		return unique(tensorNames, base);
	}

	/** Adds a float initializer (little-endian raw data; dims empty for a scalar) and returns its name. */
	String initializer(String base, long[] dims, float[] data) {
		ByteBuffer bytes = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
		bytes.asFloatBuffer().put(data);
		String name = tensorName(base);
		TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
			.setRawData(ByteString.copyFrom(bytes.array()));
		for (long d : dims) t.addDims(d);
		graph.addInitializer(t);
		return name;
	}

	/** Adds a node with one output tensor. */
	void node(String op, String nodeName, List<String> inputs, String output, AttributeProto... attributes) {
		NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(unique(nodeNames, nodeName))
			.addAllInput(inputs).addOutput(output);
		for (AttributeProto a : attributes) n.addAttribute(a);
		graph.addNode(n);
	}

	static AttributeProto ints(String name, long... values) {
		AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
		for (long v : values) a.addInts(v);
		return a.build();
	}

	static AttributeProto integer(String name, long value) {
		return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
	}

	/** A float tensor value-info; each dim is a {@code Long} (fixed) or a {@code String} (symbolic). */
	static ValueInfoProto floatTensor(String name, Object... dims) {
		TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
		for (Object d : dims) {
			if (d instanceof Long v) shape.addDimBuilder().setDimValue(v);
			else shape.addDimBuilder().setDimParam((String) d);
		}
		TypeProto.Tensor.Builder tensor = TypeProto.Tensor.newBuilder()
			.setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape);
		return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensor)).build();
	}

	void input(ValueInfoProto v) {
		graph.addInput(v);
	}

	void output(ValueInfoProto v) {
		graph.addOutput(v);
	}

	GraphProto build(String name, String docString) {
		return graph.setName(name).setDocString(docString).build();
	}

	private static String unique(Set<String> taken, String base) {
		String name = base;
		for (int i = 1; !taken.add(name); i++) name = base + "_" + i;
		return name;
	}
}
