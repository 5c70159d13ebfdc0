package io.github.imagify.modelfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.nd4j.shade.protobuf.ByteString;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;

/**
 * Checks a model file's ONNX graph before ONNX Runtime sees it, and rebuilds it from the checked parts.
 * <p>
 * ONNX Runtime trusts the graph it is given: fuzzing showed that a well-formed graph with, say, a
 * bias vector wired in as a ConvTranspose kernel crashes the JVM inside native code. So only graphs shaped
 * like the ones our exporter writes get through: its operators (Conv, ConvTranspose, MaxPool, Relu, Concat,
 * Add, Sub, Mul, Identity) in topological order, plain 2D attributes in sane ranges (3D ones, and a
 * {@code [batch, channels, depth, height, width]} input, for a model whose {@code imagify.json} says 3D, and only for
 * it), float initializers whose data matches their dims, and channel counts that agree along every edge and with
 * {@code imagify.json}.
 * ONNX Runtime then gets a graph rebuilt from just those parts, so no field this check does not know (unknown
 * protobuf fields, external data, subgraphs, value hints) ever reaches it. The protobuf classes are the ONNX
 * ones inside nd4j-api (shaded protobuf, no clash in Fiji); nothing of DL4J or ND4J runs.
 */
public final class OnnxGraphCheck {

	/** Operators our exporter writes ({@code io.github.imagify.onnx}). */
	static final Set<String> OPERATORS = Set.of("Conv", "ConvTranspose", "MaxPool", "Relu", "Concat", "Add", "Sub", "Mul", "Identity");
	static final int MAX_NODES = 10_000;
	static final long MAX_WEIGHTS = 1L << 28; // 1 GB of floats, the model file's own limit
	static final int MAX_KERNEL = 31, MAX_STRIDE = 16, MAX_CHANNELS = 1 << 16;

	private final Map<String, Long> channels = new HashMap<>(); // tensors computed from the input -> channels
	private final Map<String, TensorProto> weights = new HashMap<>();
	private final GraphProto.Builder clean = GraphProto.newBuilder().setName("imagify");
	/** Spatial axes of the model's images: 2 (height, width) or, for a 3D model, 3 (depth, height, width). */
	private final int axes;

	private OnnxGraphCheck(int axes) {
		this.axes = axes;
	}

	/**
	 * Returns the graph rebuilt from its checked parts, for ONNX Runtime.
	 *
	 * @throws IOException one line saying what is wrong and what to do
	 */
	public static byte[] check(byte[] onnx, ModelInfo info) throws IOException {
		try {
			return new OnnxGraphCheck(info.dims()).run(onnx, info.inputChannels(), info.channels());
		} catch (IllegalArgumentException e) {
			throw new IOException("Model '" + info.name() + "' cannot be used: its " + ModelFile.ONNX_ENTRY + " " + e.getMessage()
					+ "; the model file is damaged or was not written by Imagify Train: train it again or use another model", e);
		}
	}

	private byte[] run(byte[] onnx, int inputChannels, int outputChannels) {
		ModelProto model;
		try {
			model = ModelProto.parseFrom(onnx);
		} catch (InvalidProtocolBufferException e) {
			throw new IllegalArgumentException("is not an ONNX graph (" + oneLine(e.getMessage()) + ")");
		}
		require(model.hasGraph(), "has no graph");
		require(model.getIrVersion() >= 4 && model.getIrVersion() <= 10, "has ONNX IR version " + model.getIrVersion() + " (4..10 are read)");
		require(model.getOpsetImportCount() == 1, "imports " + model.getOpsetImportCount() + " operator sets (one is expected)");
		OperatorSetIdProto opset = model.getOpsetImport(0);
		require(isDefaultDomain(opset.getDomain()) && opset.getVersion() >= 7 && opset.getVersion() <= 21,
				"uses operator set " + q(opset.getDomain()) + " version " + opset.getVersion() + " (ai.onnx 7..21 are read)");
		require(model.getFunctionsCount() == 0 && model.getTrainingInfoCount() == 0, "holds functions or training graphs");
		GraphProto g = model.getGraph();
		require(g.getSparseInitializerCount() == 0 && g.getNodeCount() <= MAX_NODES, "has sparse weights or too many nodes");

		long total = 0;
		for (TensorProto t : g.getInitializerList()) total += weight(t);
		require(total <= MAX_WEIGHTS, "has more than " + MAX_WEIGHTS + " weights");
		input(g, inputChannels);
		for (NodeProto n : g.getNodeList()) node(n);
		output(g, outputChannels);

		ModelProto.Builder out = ModelProto.newBuilder().setIrVersion(model.getIrVersion())
				.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset.getVersion()));
		return out.setGraph(clean).build().toByteArray();
	}

	/** A float initializer whose data holds exactly the values its dims promise; returns its size. */
	private long weight(TensorProto t) {
		String name = t.getName();
		String quoted = q(name);
		require(!name.isEmpty() && !weights.containsKey(name), "has an unnamed or repeated weight tensor " + q(name));
		require(t.getDataType() == TensorProto.DataType.FLOAT_VALUE, "has weight " + quoted + " that is not float");
		require(t.getDataLocationValue() == 0 && t.getExternalDataCount() == 0 && !t.hasSegment(), "has weight " + quoted + " stored outside the file");
		require(t.getDimsCount() <= axes + 2, "has weight " + quoted + " of rank " + t.getDimsCount());
		long n = 1;
		for (long d : t.getDimsList()) {
			require(d >= 1 && d <= MAX_WEIGHTS, "has weight " + quoted + " with dimension " + d);
			n *= d;
			require(n <= MAX_WEIGHTS, "has weight " + quoted + " that is too large");
		}
		ByteString raw = t.getRawData();
		if (t.getFloatDataCount() > 0) {
			require(raw.isEmpty() && t.getFloatDataCount() == n, "has weight " + quoted + " with " + t.getFloatDataCount() + " values for " + n);
			ByteBuffer b = ByteBuffer.allocate(4 * (int) n).order(ByteOrder.LITTLE_ENDIAN);
			for (float f : t.getFloatDataList()) b.putFloat(f);
			raw = ByteString.copyFrom(b.array());
		}
		require(raw.size() == 4 * n, "has weight " + quoted + " with " + raw.size() + " bytes for " + n + " floats");
		weights.put(name, t);
		clean.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
				.addAllDims(t.getDimsList()).setRawData(raw));
		return n;
	}

	private void input(GraphProto g, int expectedChannels) {
		List<ValueInfoProto> inputs = g.getInputList().stream().filter(v -> !weights.containsKey(v.getName())).toList();
		require(inputs.size() == 1, "has " + inputs.size() + " inputs (one image input is expected)");
		ValueInfoProto in = inputs.get(0);
		long c = imageTensor(in, "input");
		require(c == expectedChannels, "input takes " + c + " channels but imagify.json says " + expectedChannels);
		require(!in.getName().isEmpty(), "input has no name");
		channels.put(in.getName(), c);
		clean.addInput(rebuilt(in));
	}

	private void output(GraphProto g, int expectedChannels) {
		require(g.getOutputCount() == 1, "has " + g.getOutputCount() + " outputs (one image output is expected)");
		ValueInfoProto out = g.getOutput(0);
		long c = imageTensor(out, "output");
		Long computed = channels.get(out.getName());
		require(computed != null, "output " + q(out.getName()) + " is not computed from the input");
		require(c == expectedChannels && computed == expectedChannels,
				"output has " + computed + " channels (declared " + c + ") but imagify.json says " + expectedChannels);
		clean.addOutput(rebuilt(out));
	}

	/** A float [batch, channels, (depth,) height, width] tensor with a fixed channel count; returns the channels. */
	private long imageTensor(ValueInfoProto v, String what) {
		TypeProto.Tensor t = v.getType().getTensorType();
		require(v.getType().hasTensorType() && t.getElemType() == TensorProto.DataType.FLOAT_VALUE, what + " is not a float tensor");
		List<TensorShapeProto.Dimension> dims = t.getShape().getDimList();
		require(dims.size() == axes + 2, what + " has rank " + dims.size() + " (" + (axes + 2) + " is expected: batch, channels, "
				+ (axes == 3 ? "depth, " : "") + "height, width)");
		for (TensorShapeProto.Dimension d : dims)
			require(!d.hasDimValue() || (d.getDimValue() >= 1 && d.getDimValue() <= Integer.MAX_VALUE), what + " has a dimension " + d.getDimValue());
		require(dims.get(1).hasDimValue() && dims.get(1).getDimValue() <= MAX_CHANNELS, what + " has no fixed channel count");
		for (int i = 2; i < dims.size(); i++)
			require(!dims.get(i).hasDimValue(), what + " has a fixed " + (axes == 3 ? "depth, " : "") + "height or width (tiles of any size are needed)");
		return dims.get(1).getDimValue();
	}

	private static ValueInfoProto rebuilt(ValueInfoProto v) {
		TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
		for (TensorShapeProto.Dimension d : v.getType().getTensorType().getShape().getDimList()) {
			if (d.hasDimValue()) shape.addDimBuilder().setDimValue(d.getDimValue());
			else shape.addDimBuilder().setDimParam(d.getDimParam());
		}
		TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape);
		return ValueInfoProto.newBuilder().setName(v.getName()).setType(TypeProto.newBuilder().setTensorType(t)).build();
	}

	/** Checks one node against what comes before it (topological order: no cycles) and adds it rebuilt. */
	private void node(NodeProto n) {
		String op = n.getOpType(), label = "node " + q(n.getName()) + " (" + q(op) + ")";
		require(OPERATORS.contains(op) && isDefaultDomain(n.getDomain()), "uses " + label + ", not an operator Imagify writes");
		require(n.getOutputCount() == 1 && !n.getOutput(0).isEmpty(), label + " must have one output");
		String output = n.getOutput(0);
		require(!channels.containsKey(output) && !weights.containsKey(output), label + " writes " + q(output) + " a second time");
		for (String i : n.getInputList())
			require(channels.containsKey(i) || weights.containsKey(i), label + " reads " + q(i) + ", which nothing before it computes");
		NodeProto.Builder clean = NodeProto.newBuilder().setOpType(op).setName(n.getName()).addAllInput(n.getInputList()).addOutput(output);
		Map<String, AttributeProto> attrs = new HashMap<>();
		for (AttributeProto a : n.getAttributeList()) {
			require(attrs.put(a.getName(), a) == null, label + " repeats attribute " + q(a.getName()));
			AttributeProto.Builder c = AttributeProto.newBuilder().setName(a.getName()).setType(a.getType());
			if (a.getType() == AttributeProto.AttributeType.INT) c.setI(a.getI());
			else if (a.getType() == AttributeProto.AttributeType.INTS) c.addAllInts(a.getIntsList());
			else throw new IllegalArgumentException("has " + label + " with attribute " + q(a.getName()) + " of type " + a.getType());
			clean.addAttribute(c);
		}
		long c = switch (op) {
			case "Conv", "ConvTranspose" -> convolution(n, label, attrs, op.equals("Conv"));
			case "MaxPool" -> {
				onlyAttributes(label, attrs, "kernel_shape", "strides", "pads", "dilations");
				require(attrs.containsKey("kernel_shape") && n.getInputCount() == 1, label + " needs one input and a kernel_shape");
				window(label, attrs, null);
				yield image(n, 0, label);
			}
			case "Concat" -> {
				onlyAttributes(label, attrs, "axis");
				require(attrs.containsKey("axis") && attrs.get("axis").getI() == 1 && n.getInputCount() >= 1, label + " must join channels (axis 1)");
				long sum = 0;
				for (int i = 0; i < n.getInputCount(); i++) sum += image(n, i, label);
				yield sum;
			}
			case "Add", "Sub", "Mul" -> elementWise(n, label, attrs);
			default -> { // Relu, Identity
				onlyAttributes(label, attrs);
				require(n.getInputCount() == 1, label + " needs one input");
				yield image(n, 0, label);
			}
		};
		require(c >= 1 && c <= MAX_CHANNELS, label + " gives " + c + " channels");
		channels.put(output, c);
		this.clean.addNode(clean);
	}

	/** Conv W [out, in, (kD,) kH, kW], ConvTranspose W [in, out, (kD,) kH, kW], optional bias [out]; returns out. */
	private long convolution(NodeProto n, String label, Map<String, AttributeProto> attrs, boolean conv) {
		onlyAttributes(label, attrs, "kernel_shape", "strides", "pads", "dilations", "group");
		require(n.getInputCount() == 2 || n.getInputCount() == 3, label + " needs an input, weights and an optional bias");
		long in = image(n, 0, label);
		TensorProto w = weights.get(n.getInput(1));
		require(w != null && w.getDimsCount() == axes + 2, label + " needs " + (axes + 2) + "D weights");
		long wIn = w.getDims(conv ? 1 : 0), out = w.getDims(conv ? 0 : 1);
		require(wIn == in, label + " has weights for " + wIn + " input channels but receives " + in);
		if (n.getInputCount() == 3) {
			TensorProto b = weights.get(n.getInput(2));
			require(b != null && b.getDimsCount() == 1 && b.getDims(0) == out, label + " needs a bias of " + out + " values");
		}
		require(!attrs.containsKey("group") || attrs.get("group").getI() == 1, label + " must have group 1");
		long[] kernel = new long[axes];
		for (int i = 0; i < axes; i++) kernel[i] = w.getDims(2 + i);
		window(label, attrs, kernel);
		return out;
	}

	/** 2D (3D) kernel, strides, dilations and pads in the ranges a U-Net uses; the kernel matches the weights. */
	private void window(String label, Map<String, AttributeProto> attrs, long[] weightKernel) {
		long[] ones = new long[axes];
		java.util.Arrays.fill(ones, 1);
		long[] k = ints(attrs, "kernel_shape", axes, weightKernel == null ? null : weightKernel, label);
		long[] s = ints(attrs, "strides", axes, ones, label);
		long[] d = ints(attrs, "dilations", axes, ones, label);
		long[] p = ints(attrs, "pads", 2 * axes, new long[2 * axes], label);
		for (int i = 0; i < axes; i++) {
			require(k[i] >= 1 && k[i] <= MAX_KERNEL && s[i] >= 1 && s[i] <= MAX_STRIDE && d[i] >= 1 && d[i] <= MAX_STRIDE,
					label + " has a kernel, stride or dilation out of range");
			require(weightKernel == null || k[i] == weightKernel[i], label + " has a kernel_shape that does not match its weights");
			require(p[i] >= 0 && p[i + axes] >= 0 && p[i] < k[i] && p[i + axes] < k[i], label + " has pads out of range");
		}
	}

	private static long[] ints(Map<String, AttributeProto> attrs, String name, int count, long[] otherwise, String label) {
		AttributeProto a = attrs.get(name);
		if (a == null) return otherwise;
		require(a.getType() == AttributeProto.AttributeType.INTS && a.getIntsCount() == count, label + " needs " + count + " values in '" + name + "'");
		return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
	}

	/** Two operands: images with the same channels, or an image and a single-value weight. */
	private long elementWise(NodeProto n, String label, Map<String, AttributeProto> attrs) {
		onlyAttributes(label, attrs);
		require(n.getInputCount() == 2, label + " needs two inputs");
		Long a = channels.get(n.getInput(0)), b = channels.get(n.getInput(1));
		if (a != null && b != null) {
			require(a.equals(b), label + " combines " + a + " and " + b + " channels");
			return a;
		}
		require(a != null || b != null, label + " does not depend on the input");
		TensorProto w = weights.get(a == null ? n.getInput(0) : n.getInput(1));
		long size = 1;
		for (long d : w.getDimsList()) size *= d;
		require(size == 1, label + " combines an image with a weight of " + size + " values (one is allowed)");
		return a != null ? a : b;
	}

	/** Input {@code i} of the node, which must be computed from the image; returns its channels. */
	private long image(NodeProto n, int i, String label) {
		Long c = channels.get(n.getInput(i));
		require(c != null, label + " takes weight " + q(n.getInput(i)) + " where an image is expected");
		return c;
	}

	private static void onlyAttributes(String label, Map<String, AttributeProto> attrs, String... allowed) {
		Set<String> ok = new HashSet<>(List.of(allowed));
		for (String name : attrs.keySet()) require(ok.contains(name), label + " has attribute " + q(name) + ", which Imagify does not write");
	}

	private static boolean isDefaultDomain(String domain) {
		return domain.isEmpty() || domain.equals("ai.onnx");
	}

	private static void require(boolean ok, String what) {
		if (!ok) throw new IllegalArgumentException(what);
	}

	/** A name from the file, quoted, short and on one line, for messages. */
	static String q(String name) {
		String s = oneLine(name.replaceAll("\\p{Cntrl}", "?"));
		return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
	}

	static String oneLine(String s) {
		return s == null ? "" : s.replaceAll("\\s+", " ").trim();
	}
}
