package io.github.imagify.bench;

import java.util.HashMap;
import java.util.Map;

import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;

/**
 * Floating-point operations per input pixel of an ONNX graph written by our exporter, counted node by node.
 * <p>
 * Convention: a multiply-add is 2 FLOPs. A Conv costs 2 * Cin * Cout * kH * kW per output pixel at its own
 * resolution; a ConvTranspose 2 * Cin * Cout * kH * kW per input pixel (each input pixel is spread over a
 * kH x kW patch). Each node's cost is scaled by its resolution's share of the input's pixels (1/4 per 2x2 pooling
 * level), so the sum is per pixel of the network's input. Bias adds, ReLU, pooling comparisons, Add/Sub/Mul
 * are counted apart as {@link #otherOps()} (one per element; k*k-1 comparisons per pooled element); Concat is
 * free. Hand count for depth 3, 32 base filters, 1 channel (full-resolution level first):
 * <pre>
 * level 0: 2*9*(1*32 + 32*32 + 64*32 + 32*32) + 2*64*32 (up) + 2*32*1 (head) = 78,464
 * level 1: (2*9*(32*64 + 64*64 + 128*64 + 64*64) + 2*128*64) / 4          = 87,040
 * level 2: (2*9*(64*128 + 128*128 + 256*128 + 128*128) + 2*256*128) / 16   = 87,040
 * level 3: 2*9*(128*256 + 256*256) / 64                                  = 27,648
 * total 280,192 FLOPs per pixel (checked against the bundled model in FlopCountTest)
 * </pre>
 */
public final class FlopCount {

	private final Map<String, TensorProto> weights = new HashMap<>();
	private final Map<String, Long> channels = new HashMap<>();
	private final Map<String, Double> pixelShare = new HashMap<>(); // tensor -> its pixels per input pixel
	private double flops, other;

	private FlopCount() {}

	/** Counts a graph; its single image input is the reference resolution. */
	public static FlopCount of(byte[] onnx) {
		GraphProto g;
		try {
			g = ModelProto.parseFrom(onnx).getGraph();
		} catch (InvalidProtocolBufferException e) {
			throw new IllegalArgumentException("not an ONNX graph: " + e.getMessage(), e);
		}
		FlopCount count = new FlopCount();
		for (TensorProto t : g.getInitializerList()) count.weights.put(t.getName(), t);
		g.getInputList().stream().filter(v -> !count.weights.containsKey(v.getName())).forEach(v -> {
			count.channels.put(v.getName(), v.getType().getTensorType().getShape().getDim(1).getDimValue());
			count.pixelShare.put(v.getName(), 1.0);
		});
		for (NodeProto n : g.getNodeList()) count.node(n);
		return count;
	}

	/** Convolution and transposed-convolution FLOPs per input pixel (2 per multiply-add). */
	public double flopsPerPixel() { return flops; }

	/** Bias, activation, pooling and element-wise operations per input pixel, not in {@link #flopsPerPixel()}. */
	public double otherOps() { return other; }

	private void node(NodeProto n) {
		String in = n.getInput(0), out = n.getOutput(0);
		long c = channels.getOrDefault(in, 0L);
		double share = pixelShare.getOrDefault(in, 1.0);
		switch (n.getOpType()) {
			case "Conv", "ConvTranspose" -> {
				boolean conv = n.getOpType().equals("Conv");
				TensorProto w = weights.get(n.getInput(1));
				long cin = w.getDims(conv ? 1 : 0), cout = w.getDims(conv ? 0 : 1), k = w.getDims(2) * w.getDims(3);
				long stride = ints(n, "strides", 1);
				double outShare = conv ? share / (stride * stride) : share * stride * stride;
				// Conv: per output pixel; ConvTranspose: per input pixel
				flops += 2.0 * cin * cout * k * (conv ? outShare : share);
				if (n.getInputCount() == 3) other += cout * outShare;
				set(out, cout, outShare);
			}
			case "MaxPool" -> {
				long k = ints(n, "kernel_shape", 1), stride = ints(n, "strides", 1);
				double outShare = share / (stride * stride);
				other += (k * k - 1) * c * outShare;
				set(out, c, outShare);
			}
			case "Concat" -> set(out, n.getInputList().stream().mapToLong(i -> channels.getOrDefault(i, 0L)).sum(), share);
			case "Relu", "Add", "Sub", "Mul" -> {
				long cc = n.getInputList().stream().mapToLong(i -> channels.getOrDefault(i, 0L)).max().orElse(0);
				double s = n.getInputList().stream().mapToDouble(i -> pixelShare.getOrDefault(i, 0.0)).max().orElse(share);
				other += cc * s;
				set(out, cc, s);
			}
			default -> set(out, c, share); // Identity
		}
	}

	private void set(String tensor, long c, double share) {
		channels.put(tensor, c);
		pixelShare.put(tensor, share);
	}

	/** The first value of an INTS attribute (our graphs are square: same kernel and stride in y and x). */
	private static long ints(NodeProto n, String name, long otherwise) {
		for (AttributeProto a : n.getAttributeList())
			if (a.getName().equals(name) && a.getIntsCount() > 0) return a.getInts(0);
		return otherwise;
	}
}
