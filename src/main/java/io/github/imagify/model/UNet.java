package io.github.imagify.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
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
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Builds the U-Net of a {@link UNetSpec} as a DL4J {@link ComputationGraph}.
 * <p>
 * Vertex names are stable and readable ({@code enc0_conv1}, {@code enc0_pool}, {@code enc0_blur} with a blur pool, {@code bottleneck_conv1},
 * {@code dec0_up}, {@code dec0_concat}, {@code dec0_conv2}, {@code head}, {@code residual},
 * {@code output}) because the ONNX export and the checkpoints carry them. Every layer is NCHW (a 3D spec's:
 * NCDHW, with the same vertex names) and uses only what {@code io.github.imagify.onnx.OnnxExporter} can translate.
 * Nothing depends on the training patch size except DL4J's shape inference, so the graph runs on any multiple of
 * {@link UNetSpec#sizeMultiple()} (and in Z of {@link UNetSpec#sizeMultipleZ()}).
 */
public final class UNet {

	public static final String INPUT = "input";
	public static final String SCALED = "scaled";
	public static final String OUTPUT = "output";
	/** A told (non-blind) residual model's image channels, the input without its condition channel, for the residual. */
	public static final String IMAGE = "image";
	/** Name prefix of the refinement convolutions, {@code refine0}, {@code refine1}, ... */
	public static final String REFINE = "refine";
	/** The first convolution, the one layer that reads the input (and a told model's condition). */
	public static final String FIRST_CONV = "enc0_conv1";
	/** Name ending of a blur pool's fixed blur, {@code enc0_blur}, {@code enc1_blur}, ... */
	public static final String BLUR = "_blur";
	/** The blur pool's kernel, [1,2,1] x [1,2,1] / 16 (N2V2's): exact in floats, so it sums to 1 exactly. */
	private static final float[] BINOMIAL = { 1 / 4f, 2 / 4f, 1 / 4f };

	private static final CNN2DFormat NCHW = CNN2DFormat.NCHW;
	private static final Convolution3D.DataFormat NCDHW = Convolution3D.DataFormat.NCDHW;

	private UNet() {}

	/**
	 * Builds and initialises the graph of a 2D spec.
	 *
	 * @param patchSize the training input height = width, a positive multiple of {@link UNetSpec#sizeMultiple()}
	 * @param learningRate Adam's initial learning rate (&gt; 0)
	 * @param seed seed of the weight initialisation
	 */
	public static ComputationGraph build(UNetSpec spec, int patchSize, double learningRate, long seed) {
		if (spec.is3d())
			throw new IllegalArgumentException("A 3D U-Net (dims 3) needs a patch depth in planes (patch_planes)");
		return build(spec, patchSize, 1, learningRate, seed);
	}

	/**
	 * Builds and initialises the graph; a 3D spec's takes NCDHW volumes.
	 *
	 * @param patchSize the training input height = width, a positive multiple of {@link UNetSpec#sizeMultiple()}
	 * @param patchDepth the training input depth (Z) of a 3D spec, a positive multiple of {@link UNetSpec#sizeMultipleZ()};
	 *                   1 for a 2D spec
	 * @param learningRate Adam's initial learning rate (&gt; 0)
	 * @param seed seed of the weight initialisation
	 */
	public static ComputationGraph build(UNetSpec spec, int patchSize, int patchDepth, double learningRate, long seed) {
		if (patchSize <= 0 || patchSize % spec.sizeMultiple() != 0)
			throw new IllegalArgumentException("patch_size must be a positive multiple of " + spec.sizeMultiple() +
				" (2^depth), got " + patchSize);
		if (spec.is3d() ? patchDepth <= 0 || patchDepth % spec.sizeMultipleZ() != 0 : patchDepth != 1)
			throw new IllegalArgumentException(spec.is3d() ? "patch_planes must be a positive multiple of " + spec.sizeMultipleZ() +
				(spec.poolZ() ? " (2^depth, as pooling halves Z)" : "") + ", got " + patchDepth : "patch_planes applies to 3D models only, got " + patchDepth);
		if (!(learningRate > 0) || Double.isInfinite(learningRate))
			throw new IllegalArgumentException("learning_rate must be a finite number > 0, got " + learningRate);

		Layers layers = new Layers(spec.is3d(), spec.poolZ() ? 2 : 1);
		GraphBuilder g = new NeuralNetConfiguration.Builder()
			.seed(seed)
			.dataType(DataType.FLOAT)
			.updater(new Adam(learningRate))
			.weightInit(WeightInit.RELU)
			.graphBuilder()
			.addInputs(INPUT)
			.setInputTypes(spec.is3d() ? InputType.convolutional3D(NCDHW, patchDepth, patchSize, patchSize, spec.inputChannels())
				: InputType.convolutional(patchSize, patchSize, spec.inputChannels(), NCHW));

		// The paper's input-scaling layer; an identity at the default factor 1, kept so the graph shape is fixed.
		g.addVertex(SCALED, new ScaleVertex(spec.inputScale()), INPUT);

		String[] skips = new String[spec.depth()];
		String x = SCALED;
		for (int l = 0; l < spec.depth(); l++) {
			x = add(g, "enc" + l + "_conv1", layers.conv(spec.filters(l)), x);
			x = skips[l] = add(g, "enc" + l + "_conv2", layers.conv(spec.filters(l)), x);
			x = spec.blurPool() ? blurPool(g, "enc" + l, spec.filters(l), x) : add(g, "enc" + l + "_pool", layers.pool(), x);
		}

		x = add(g, "bottleneck_conv1", layers.conv(spec.filters(spec.depth())), x);
		x = add(g, "bottleneck_conv2", layers.conv(spec.filters(spec.depth())), x);
		if (spec.dropout() > 0) // DL4J's Dropout takes the RETAIN probability
			x = add(g, "bottleneck_dropout", new DropoutLayer(new Dropout(1 - spec.dropout())), x);

		for (int l = spec.depth() - 1; l >= 0; l--) {
			x = add(g, "dec" + l + "_up", layers.up(spec.filters(l)), x);
			if (spec.skips(l)) {
				g.addVertex("dec" + l + "_concat", spec.is3d() ? new VolumeMergeVertex() : new MergeVertex(), x, skips[l]);
				x = "dec" + l + "_concat";
			}
			x = add(g, "dec" + l + "_conv1", layers.conv(spec.filters(l)), x);
			x = add(g, "dec" + l + "_conv2", layers.conv(spec.filters(l)), x);
		}

		for (int k = 0; k < spec.refineConvs(); k++)
			x = add(g, REFINE + k, layers.conv(spec.filters(0)), x);

		// A residual net starts as the identity (zero head): training begins at the input's quality instead
		// of at random noise added to it, which matters for short runs.
		x = add(g, "head", layers.head(spec.channels(), spec.residual() ? WeightInit.ZERO : WeightInit.RELU), x);
		if (spec.residual()) { // the net predicts the degradation: output = scaled input - head
			String image = SCALED;
			if (spec.condition() != null) {
				// one SubsetVertex per channel: DL4J 1.0.0-M2.1 infers -1 channels for a wider CNN subset (from - to + 1)
				if (spec.channels() == 1) g.addVertex(IMAGE, new SubsetVertex(0, 0), SCALED);
				else {
					String[] parts = new String[spec.channels()];
					for (int c = 0; c < parts.length; c++) g.addVertex(parts[c] = IMAGE + "_c" + c, new SubsetVertex(c, c), SCALED);
					g.addVertex(IMAGE, new MergeVertex(), parts);
				}
				image = IMAGE;
			}
			g.addVertex("residual", new ElementWiseVertex(ElementWiseVertex.Op.Subtract), image, x);
			x = "residual";
		}
		g.addLayer(OUTPUT, layers.loss(), x);
		g.setOutputs(OUTPUT);

		ComputationGraph graph = new ComputationGraph(g.build());
		graph.init();
		if (spec.blurPool()) setBlurKernels(graph, spec);
		return graph;
	}

	/**
	 * N2V2's max blur pool: a 2x2 max-pool with stride 1, then the fixed binomial blur of each channel with stride 2, both
	 * "same" as in N2V2's TensorFlow code (DL4J's Same pads after, not before, as TensorFlow does: the blurred pixel p
	 * reads max-pooled 2p..2p+2). The blur is a depthwise convolution frozen with backprop: its kernel never trains, and
	 * the gradient still flows through it to the encoder.
	 */
	private static String blurPool(GraphBuilder g, String level, int channels, String input) {
		String max = add(g, level + "_pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(1, 1)
			.convolutionMode(ConvolutionMode.Same).dataFormat(NCHW).build(), input);
		return add(g, level + BLUR, new FrozenLayerWithBackprop(new DepthwiseConvolution2D.Builder(3, 3).stride(2, 2)
			.convolutionMode(ConvolutionMode.Same).nIn(channels).nOut(channels).depthMultiplier(1).hasBias(false)
			.activation(Activation.IDENTITY).weightInit(WeightInit.ZERO).dataFormat(NCHW).build()), max);
	}

	/** Puts the binomial kernel into every blur (DL4J's weight inits have none); W is [kH, kW, channels, 1]. */
	private static void setBlurKernels(ComputationGraph graph, UNetSpec spec) {
		for (int l = 0; l < spec.depth(); l++) {
			INDArray w = graph.getLayer("enc" + l + BLUR).getParam("W");
			for (int y = 0; y < 3; y++)
				for (int x = 0; x < 3; x++)
					w.get(NDArrayIndex.point(y), NDArrayIndex.point(x)).assign(blurKernel(y, x));
		}
	}

	/** The blur pool's kernel value at (y, x) of 3x3: what every channel's fixed blur holds. */
	public static float blurKernel(int y, int x) {
		return BINOMIAL[y] * BINOMIAL[x];
	}

	/** Whether a vertex of the graph is a blur pool's fixed blur, whose weights are not trained. */
	public static boolean isBlur(String vertex) {
		return vertex.matches("enc\\d+" + BLUR);
	}

	/**
	 * Whether a vertex of the graph is the convolution that reads a decoder level's concatenation: the upsampled
	 * features, then the skip (not the top level's without a top skip).
	 */
	public static boolean readsSkipConcat(ComputationGraph graph, String vertex) {
		return vertex.matches("dec\\d+_conv1") && graph.getVertex(vertex.replace("_conv1", "_concat")) != null;
	}

	private static String add(GraphBuilder g, String name, Layer layer, String input) {
		g.addLayer(name, layer, input);
		return name;
	}

	/**
	 * The U-Net's layers for planes (NCHW) or volumes (NCDHW). {@code zWindow}: the pooling and up-sampling window and
	 * stride in Z, 2 to halve and double Z with X and Y, 1 to leave it alone.
	 */
	private record Layers(boolean volume, int zWindow) {

		/** 3x3(x3) convolution, same padding, ReLU. */
		Layer conv(int nOut) {
			if (volume) return new Convolution3D.Builder().kernelSize(3, 3, 3).stride(1, 1, 1).convolutionMode(ConvolutionMode.Same)
				.nOut(nOut).activation(Activation.RELU).dataFormat(NCDHW).build();
			return new ConvolutionLayer.Builder(3, 3).stride(1, 1).convolutionMode(ConvolutionMode.Same)
				.nOut(nOut).activation(Activation.RELU).dataFormat(NCHW).build();
		}

		/** 2x2 (2x2x2 or 1x2x2) max pooling, stride = window. */
		Layer pool() {
			if (volume) return new Subsampling3DLayer.Builder(PoolingType.MAX, new int[] { zWindow, 2, 2 }).stride(zWindow, 2, 2)
				.padding(0, 0, 0).convolutionMode(ConvolutionMode.Truncate).dataFormat(NCDHW).build();
			return new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
				.convolutionMode(ConvolutionMode.Truncate).dataFormat(NCHW).build();
		}

		/** 2x2 (2x2x2 or 1x2x2) transposed convolution, stride = kernel, ReLU: doubles what the pooling halved. */
		Layer up(int nOut) {
			if (volume) return new Deconvolution3D.Builder().kernelSize(zWindow, 2, 2).stride(zWindow, 2, 2).padding(0, 0, 0)
				.convolutionMode(ConvolutionMode.Truncate).nOut(nOut).activation(Activation.RELU).dataFormat(NCDHW).build();
			return new Deconvolution2D.Builder(2, 2).stride(2, 2).padding(0, 0)
				.convolutionMode(ConvolutionMode.Truncate).nOut(nOut).activation(Activation.RELU).dataFormat(NCHW).build();
		}

		/** 1x1(x1) convolution without activation. */
		Layer head(int nOut, WeightInit init) {
			if (volume) return new Convolution3D.Builder().kernelSize(1, 1, 1).stride(1, 1, 1).convolutionMode(ConvolutionMode.Same)
				.nOut(nOut).activation(Activation.IDENTITY).dataFormat(NCDHW).weightInit(init).build();
			return new ConvolutionLayer.Builder(1, 1).stride(1, 1).convolutionMode(ConvolutionMode.Same)
				.nOut(nOut).activation(Activation.IDENTITY).dataFormat(NCHW).weightInit(init).build();
		}

		/** Per-pixel (per-voxel) MSE. */
		Layer loss() {
			if (volume) return new Cnn3DLossLayer.Builder(NCDHW).lossFunction(LossFunction.MSE).activation(Activation.IDENTITY).build();
			return new CnnLossLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).format(NCHW).build();
		}
	}
}
