package io.github.imagify.onnx;

import java.util.ArrayList;
import java.util.List;

import onnx.Onnx.AttributeProto;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.Cnn3DLossLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.Subsampling3DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Translates one DL4J layer to ONNX nodes. Only layers whose inference semantics are known to match
 * ONNX exactly are accepted; everything else fails with a message naming the vertex, because a silently
 * wrong export would only show up as bad restorations much later.
 * <p>
 * Classes are matched exactly (not with instanceof): DL4J's depthwise, separable, 1D and 3D convolutions
 * subclass {@link ConvolutionLayer} and compute something else (the 3D ones are translated by their own methods).
 */
final class LayerTranslator {

	private final ComputationGraph net;
	private final OnnxGraph out;

	LayerTranslator(ComputationGraph net, OnnxGraph out) {
		this.net = net;
		this.out = out;
	}

	Value translate(String v, Layer layer, Value in) {
		Class<?> type = layer.getClass();
		if (type == ConvolutionLayer.class) return conv(v, (ConvolutionLayer) layer, in);
		if (type == Deconvolution2D.class) return deconv(v, (Deconvolution2D) layer, in);
		if (type == SubsamplingLayer.class) return maxPool(v, (SubsamplingLayer) layer, in);
		if (type == DepthwiseConvolution2D.class) return depthwise(v, (DepthwiseConvolution2D) layer, in);
		if (type == FrozenLayerWithBackprop.class) return translate(v, ((FrozenLayerWithBackprop) layer).getUnderlying(), in); // frozen only in training
		if (type == DropoutLayer.class) return in; // dropout is the identity at inference
		if (type == ActivationLayer.class) return activation(v, ((ActivationLayer) layer).getActivationFn(), in, v);
		if (type == CnnLossLayer.class) {
			CnnLossLayer loss = (CnnLossLayer) layer;
			requireNchw(v, loss.getFormat());
			return activation(v, loss.getActivationFn(), in, v);
		}
		if (type == Convolution3D.class) return conv3d(v, (Convolution3D) layer, in);
		if (type == Deconvolution3D.class) return deconv3d(v, (Deconvolution3D) layer, in);
		if (type == Subsampling3DLayer.class) return maxPool3d(v, (Subsampling3DLayer) layer, in);
		if (type == Cnn3DLossLayer.class) {
			Cnn3DLossLayer loss = (Cnn3DLossLayer) layer;
			requireNcdhw(v, loss.getDataFormat());
			return activation(v, loss.getActivationFn(), in, v);
		}
		throw GraphTranslator.unsupported(v, "layer type " + type.getSimpleName() + " (supported: ConvolutionLayer, " +
			"Deconvolution2D, DepthwiseConvolution2D, SubsamplingLayer MAX, DropoutLayer, ActivationLayer, CnnLossLayer, and in 3D Convolution3D, " +
			"Deconvolution3D, Subsampling3DLayer MAX, Cnn3DLossLayer, and these frozen)");
	}

	/** Convolution3D: W {@code [nOut, nIn, kD, kH, kW]}, the ONNX Conv layout; kernel, strides, pads of length 3 / 6. */
	private Value conv3d(String v, Convolution3D c, Value in) {
		requireNcdhw(v, c.getDataFormat());
		requireActivation(v, c.getActivationFn());
		int[] k = c.getKernelSize(), s = c.getStride(), d = c.getDilation();
		long[] pads = pads(v, c.getConvolutionMode(), k, s, d, c.getPadding());
		INDArray w = param(v, "W", 5);
		long[] shape = w.shape();
		checkInputChannels(v, in, shape[1]);
		List<String> inputs = new ArrayList<>(List.of(in.name(), out.initializer(v + ".W", shape, floats(w))));
		if (c.hasBias()) inputs.add(out.initializer(v + ".b", new long[] { shape[0] }, floats(param(v, "b", -1))));
		String name = tensorFor(v, c.getActivationFn());
		out.node("Conv", v, inputs, name, OnnxGraph.ints("kernel_shape", longs(k)), OnnxGraph.ints("strides", longs(s)),
			OnnxGraph.ints("pads", pads), OnnxGraph.ints("dilations", longs(d)), OnnxGraph.integer("group", 1));
		return activation(v, c.getActivationFn(), sizeAfterWindow3d(in, name, shape[0], k, s, d, pads), v);
	}

	/**
	 * Deconvolution3D: DL4J 1.0.0-M2.1 stores W as libnd4j's {@code [kD, kH, kW, nOut, nIn]} (not the 2D layer's
	 * order), which is permuted to ONNX ConvTranspose's {@code [nIn, nOut, kD, kH, kW]}; no kernel flip.
	 */
	private Value deconv3d(String v, Deconvolution3D c, Value in) {
		requireNcdhw(v, c.getDataFormat());
		requireActivation(v, c.getActivationFn());
		int[] k = c.getKernelSize(), s = c.getStride(), d = c.getDilation(), p = c.getPadding();
		boolean tiling = c.getConvolutionMode() == ConvolutionMode.Truncate || c.getConvolutionMode() == ConvolutionMode.Strict;
		for (int i = 0; i < 3; i++) tiling &= k[i] == s[i] && d[i] == 1 && p[i] == 0;
		if (!tiling) // the U-Net's up-sampling; DL4J's other 3D deconvolution modes pad in ways not checked against ONNX
			throw GraphTranslator.unsupported(v, "Deconvolution3D with ConvolutionMode." + c.getConvolutionMode() + ", kernel " + str(k) +
				", stride " + str(s) + ", padding " + str(p) + ", dilation " + str(d) + " (supported: Truncate/Strict, kernel = stride, no padding or dilation)");
		INDArray w = param(v, "W", 5).permute(4, 3, 0, 1, 2); // [kD, kH, kW, nOut, nIn] -> [nIn, nOut, kD, kH, kW]
		long[] shape = w.shape();
		checkInputChannels(v, in, shape[0]);
		List<String> inputs = new ArrayList<>(List.of(in.name(), out.initializer(v + ".W", shape, floats(w))));
		if (c.hasBias()) inputs.add(out.initializer(v + ".b", new long[] { shape[1] }, floats(param(v, "b", -1))));
		String name = tensorFor(v, c.getActivationFn());
		out.node("ConvTranspose", v, inputs, name, OnnxGraph.ints("kernel_shape", longs(k)), OnnxGraph.ints("strides", longs(s)),
			OnnxGraph.ints("pads", new long[6]), OnnxGraph.ints("dilations", 1, 1, 1), OnnxGraph.integer("group", 1));
		// kernel = stride, no padding: out = s * in on every axis
		boolean squareXY = s[1] == s[2];
		Value pre = in.scaled(name, shape[1], squareXY ? s[1] : 0, 1, s[0], 1);
		return activation(v, c.getActivationFn(), pre, v);
	}

	private Value maxPool3d(String v, Subsampling3DLayer p, Value in) {
		requireNcdhw(v, p.getDataFormat());
		if (p.getPoolingType() != PoolingType.MAX)
			throw GraphTranslator.unsupported(v, "pooling type " + p.getPoolingType() + " (only MAX is supported)");
		int[] k = p.getKernelSize(), s = p.getStride(), d = p.getDilation();
		long[] pads = pads(v, p.getConvolutionMode(), k, s, d, p.getPadding());
		String name = out.tensorName(v);
		List<AttributeProto> attrs = new ArrayList<>(List.of(OnnxGraph.ints("kernel_shape", longs(k)),
			OnnxGraph.ints("strides", longs(s)), OnnxGraph.ints("pads", pads)));
		if (d[0] != 1 || d[1] != 1 || d[2] != 1) attrs.add(OnnxGraph.ints("dilations", longs(d)));
		out.node("MaxPool", v, List.of(in.name()), name, attrs.toArray(AttributeProto[]::new));
		return sizeAfterWindow3d(in, name, in.channels(), k, s, d, pads);
	}

	/** {@link #sizeAfterWindow} per axis: Z on its own, X and Y together (their factors must agree). */
	private static Value sizeAfterWindow3d(Value in, String name, long channels, int[] k, int[] s, int[] d, long[] pads) {
		long[] z = windowFactor(0, k, s, d, pads), y = windowFactor(1, k, s, d, pads), x = windowFactor(2, k, s, d, pads);
		boolean sameXY = y[0] == x[0] && y[1] == x[1];
		return in.scaled(name, channels, sameXY ? y[0] : 0, y[1], z[0], z[1]);
	}

	/** {mul, div} of a sliding window along axis i of n: 1/s if the padding preserves the size or the window tiles it, else irregular (0). */
	private static long[] windowFactor(int i, int[] k, int[] s, int[] d, long[] pads) {
		int n = k.length;
		long span = (long) (k[i] - 1) * d[i];
		boolean preserving = pads[i] == pads[i + n] && 2 * pads[i] == span;
		boolean tiling = k[i] == s[i] && d[i] == 1 && pads[i] == 0 && pads[i + n] == 0;
		return new long[] { preserving || tiling ? 1 : 0, s[i] };
	}

	private Value conv(String v, ConvolutionLayer c, Value in) {
		requireNchw(v, c.getCnn2dDataFormat());
		requireActivation(v, c.getActivationFn());
		int[] k = c.getKernelSize(), s = c.getStride(), d = c.getDilation();
		long[] pads = pads(v, c.getConvolutionMode(), k, s, d, c.getPadding());
		INDArray w = param(v, "W", 4);
		long[] shape = w.shape(); // [nOut, nIn, kH, kW], the ONNX Conv layout
		checkInputChannels(v, in, shape[1]);
		List<String> inputs = new ArrayList<>(List.of(in.name(), out.initializer(v + ".W", shape, floats(w))));
		if (c.hasBias()) inputs.add(out.initializer(v + ".b", new long[] { shape[0] }, floats(param(v, "b", -1))));
		String name = tensorFor(v, c.getActivationFn());
		out.node("Conv", v, inputs, name, OnnxGraph.ints("kernel_shape", k[0], k[1]), OnnxGraph.ints("strides", s[0], s[1]),
			OnnxGraph.ints("pads", pads), OnnxGraph.ints("dilations", d[0], d[1]), OnnxGraph.integer("group", 1));
		Value pre = sizeAfterWindow(in, name, shape[0], k, s, d, pads);
		return activation(v, c.getActivationFn(), pre, v);
	}

	/**
	 * A depthwise convolution (multiplier 1) as a Conv with one group per channel, weights [C, 1, kH, kW]. Same mode with
	 * a stride (the U-Net's blur pool) pads by how the input size divides: the pads written are those for a multiple of
	 * the stride, which every input of such a layer in a U-Net is (the network runs on multiples of 2^depth).
	 */
	private Value depthwise(String v, DepthwiseConvolution2D c, Value in) {
		requireNchw(v, c.getCnn2dDataFormat());
		requireActivation(v, c.getActivationFn());
		if (c.getDepthMultiplier() != 1) throw GraphTranslator.unsupported(v, "depth multiplier " + c.getDepthMultiplier() + " (only 1)");
		int[] k = c.getKernelSize(), s = c.getStride(), d = c.getDilation();
		boolean stridedSame = c.getConvolutionMode() == ConvolutionMode.Same && (s[0] != 1 || s[1] != 1);
		long[] pads = stridedSame ? samePadsForMultiplesOfStride(v, k, s, d) : pads(v, c.getConvolutionMode(), k, s, d, c.getPadding());
		INDArray w = param(v, "W", 4); // [kH, kW, C, 1]
		long channels = w.size(2);
		checkInputChannels(v, in, channels);
		INDArray onnxW = w.permute(2, 3, 0, 1); // [C, 1, kH, kW]
		List<String> inputs = new ArrayList<>(List.of(in.name(), out.initializer(v + ".W", onnxW.shape(), floats(onnxW))));
		if (c.hasBias()) inputs.add(out.initializer(v + ".b", new long[] { channels }, floats(param(v, "b", -1))));
		String name = tensorFor(v, c.getActivationFn());
		out.node("Conv", v, inputs, name, OnnxGraph.ints("kernel_shape", k[0], k[1]), OnnxGraph.ints("strides", s[0], s[1]),
			OnnxGraph.ints("pads", pads), OnnxGraph.ints("dilations", d[0], d[1]), OnnxGraph.integer("group", channels));
		Value pre = stridedSame ? in.scaled(name, channels, s[0] == s[1] ? 1 : 0, s[0]) : sizeAfterWindow(in, name, channels, k, s, d, pads);
		return activation(v, c.getActivationFn(), pre, v);
	}

	/**
	 * DL4J's (and TensorFlow's) Same padding for an input that is a multiple of the stride: ek - s in all, the smaller
	 * half before, the rest after; ONNX pads {top, left, bottom, right}.
	 */
	private static long[] samePadsForMultiplesOfStride(String v, int[] k, int[] s, int[] d) {
		long totalH = (long) (k[0] - 1) * d[0] + 1 - s[0], totalW = (long) (k[1] - 1) * d[1] + 1 - s[1];
		if (totalH < 0 || totalW < 0)
			throw GraphTranslator.unsupported(v, "ConvolutionMode.Same with kernel " + str(k) + " smaller than its stride " + str(s));
		return new long[] { totalH / 2, totalW / 2, totalH - totalH / 2, totalW - totalW / 2 };
	}

	private Value deconv(String v, Deconvolution2D c, Value in) {
		requireNchw(v, c.getCnn2dDataFormat());
		requireActivation(v, c.getActivationFn());
		int[] k = c.getKernelSize(), s = c.getStride(), d = c.getDilation(), p = c.getPadding();
		ConvolutionMode mode = c.getConvolutionMode();
		long ekH = (long) (k[0] - 1) * d[0] + 1, ekW = (long) (k[1] - 1) * d[1] + 1;
		boolean sameWithoutPadding = mode == ConvolutionMode.Same && ekH == s[0] && ekW == s[1];
		if (!(mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict || sameWithoutPadding))
			throw GraphTranslator.unsupported(v, "Deconvolution2D with ConvolutionMode." + mode + " and kernel " +
				str(k) + ", stride " + str(s) + " (supported: Truncate/Strict, or Same when the kernel equals the stride)");
		long[] pads = sameWithoutPadding ? new long[4] : new long[] { p[0], p[1], p[0], p[1] };
		INDArray w = param(v, "W", 4);
		long[] shape = w.shape(); // [nIn, nOut, kH, kW], the ONNX ConvTranspose layout (no kernel flip)
		checkInputChannels(v, in, shape[0]);
		List<String> inputs = new ArrayList<>(List.of(in.name(), out.initializer(v + ".W", shape, floats(w))));
		if (c.hasBias()) inputs.add(out.initializer(v + ".b", new long[] { shape[1] }, floats(param(v, "b", -1))));
		String name = tensorFor(v, c.getActivationFn());
		out.node("ConvTranspose", v, inputs, name, OnnxGraph.ints("kernel_shape", k[0], k[1]),
			OnnxGraph.ints("strides", s[0], s[1]), OnnxGraph.ints("pads", pads), OnnxGraph.ints("dilations", d[0], d[1]),
			OnnxGraph.integer("group", 1));
		// out = s*(in-1) + ek - 2p: exactly s*in when ek - 2p == s
		boolean exact = ekH - 2 * pads[0] == s[0] && ekW - 2 * pads[1] == s[1] && s[0] == s[1];
		Value pre = in.scaled(name, shape[1], exact ? s[0] : 0, 1);
		return activation(v, c.getActivationFn(), pre, v);
	}

	private Value maxPool(String v, SubsamplingLayer p, Value in) {
		requireNchw(v, p.getCnn2dDataFormat());
		if (p.getPoolingType() != PoolingType.MAX)
			throw GraphTranslator.unsupported(v, "pooling type " + p.getPoolingType() + " (only MAX is supported)");
		int[] k = p.getKernelSize(), s = p.getStride(), d = p.getDilation();
		long[] pads = pads(v, p.getConvolutionMode(), k, s, d, p.getPadding());
		String name = out.tensorName(v);
		List<AttributeProto> attrs = new ArrayList<>(List.of(OnnxGraph.ints("kernel_shape", k[0], k[1]),
			OnnxGraph.ints("strides", s[0], s[1]), OnnxGraph.ints("pads", pads)));
		if (d[0] != 1 || d[1] != 1) attrs.add(OnnxGraph.ints("dilations", d[0], d[1]));
		out.node("MaxPool", v, List.of(in.name()), name, attrs.toArray(AttributeProto[]::new));
		return sizeAfterWindow(in, name, in.channels(), k, s, d, pads);
	}

	/**
	 * ONNX pads {top, left, bottom, right} (in 3D {front, top, left, back, bottom, right}) for a DL4J convolution mode:
	 * Truncate/Strict use the explicit padding; Same only with stride 1, where it pads the effective kernel's span whatever
	 * the size: half before, and with an even kernel (the blur pool's 2x2 max-pool) the odd one more after, as DL4J and
	 * TensorFlow do.
	 */
	private static long[] pads(String v, ConvolutionMode mode, int[] k, int[] s, int[] d, int[] p) {
		int n = k.length;
		long[] pads = new long[2 * n];
		boolean explicit = mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict;
		boolean sameStride1 = mode == ConvolutionMode.Same;
		for (int i = 0; i < n; i++) {
			long span = (long) (k[i] - 1) * d[i];
			sameStride1 &= s[i] == 1;
			pads[i] = explicit ? p[i] : span / 2;
			pads[i + n] = explicit ? p[i] : span - span / 2;
		}
		if (explicit || sameStride1) return pads;
		throw GraphTranslator.unsupported(v, "ConvolutionMode." + mode + " with kernel " + str(k) + ", stride " + str(s) +
			", dilation " + str(d) + " (supported: Truncate/Strict, or Same with stride 1)");
	}

	/** Size after a sliding window: kept if the padding preserves it, divided by s if kernel == stride. */
	private static Value sizeAfterWindow(Value in, String name, long channels, int[] k, int[] s, int[] d, long[] pads) {
		boolean square = s[0] == s[1];
		boolean preserving = pads[0] + pads[2] == (long) (k[0] - 1) * d[0] && pads[1] + pads[3] == (long) (k[1] - 1) * d[1];
		boolean tiling = k[0] == s[0] && k[1] == s[1] && d[0] == 1 && d[1] == 1 && pads[0] + pads[1] + pads[2] + pads[3] == 0;
		return in.scaled(name, channels, square && (preserving || tiling) ? 1 : 0, s[0]);
	}

	/** Applies a ReLU or identity activation; the result tensor is named after the vertex. */
	private Value activation(String v, IActivation fn, Value pre, String nodeName) {
		requireActivation(v, fn);
		if (isIdentity(fn)) return pre;
		String name = out.tensorName(v);
		out.node("Relu", nodeName + "_relu", List.of(pre.name()), name);
		return pre.renamed(name, pre.channels());
	}

	/** The layer's own output tensor: named after the vertex unless an activation node follows it. */
	private String tensorFor(String v, IActivation fn) {
		return out.tensorName(isIdentity(fn) ? v : v + "_preact");
	}

	private static void requireActivation(String v, IActivation fn) {
		if (!isIdentity(fn) && !isPlainRelu(fn))
			throw GraphTranslator.unsupported(v, "activation " + fn + " (supported: identity, ReLU)");
	}

	private static boolean isIdentity(IActivation fn) {
		return fn == null || fn instanceof ActivationIdentity;
	}

	private static boolean isPlainRelu(IActivation fn) {
		return fn instanceof ActivationReLU r && r.getMax() == null && zero(r.getThreshold()) && zero(r.getNegativeSlope());
	}

	private static boolean zero(Double d) {
		return d == null || d == 0.0;
	}

	private static void requireNchw(String v, CNN2DFormat format) {
		if (format != null && format != CNN2DFormat.NCHW)
			throw GraphTranslator.unsupported(v, "data format " + format + " (only NCHW is supported)");
	}

	private static void requireNcdhw(String v, Convolution3D.DataFormat format) {
		if (format != null && format != Convolution3D.DataFormat.NCDHW)
			throw GraphTranslator.unsupported(v, "data format " + format + " (only NCDHW is supported)");
	}

	private static void checkInputChannels(String v, Value in, long nIn) {
		if (in.channels() != Value.UNKNOWN && in.channels() != nIn)
			throw GraphTranslator.unsupported(v, "its weights expect " + nIn + " input channels but it receives " + in.channels());
	}

	private INDArray param(String v, String key, int rank) {
		INDArray a = net.getLayer(v).getParam(key);
		if (a == null || (rank > 0 && a.rank() != rank))
			throw GraphTranslator.unsupported(v, "parameter '" + key + "' missing or not of rank " + rank);
		return a;
	}

	/** The array's values in C order as floats (the ONNX raw layout). */
	private static float[] floats(INDArray a) {
		return a.dup('c').castTo(DataType.FLOAT).data().asFloat();
	}

	private static String str(int[] a) {
		StringBuilder b = new StringBuilder().append(a[0]);
		for (int i = 1; i < a.length; i++) b.append('x').append(a[i]);
		return b.toString();
	}

	private static long[] longs(int[] a) {
		return java.util.Arrays.stream(a).asLongStream().toArray();
	}
}
