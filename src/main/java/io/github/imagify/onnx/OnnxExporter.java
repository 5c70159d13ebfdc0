package io.github.imagify.onnx;

import java.util.Map;
import java.util.TreeMap;

import onnx.Onnx.ModelProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.StringStringEntryProto;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Writes a DL4J {@link ComputationGraph} as an ONNX model, so that restoration runs in ONNX Runtime
 * (through DJL) an order of magnitude faster than DL4J's own forward pass, and so that trained models
 * can be used outside Fiji.
 * <p>
 * The model has one input {@code input}, float {@code [batch, C, height, width]}, and one output
 * {@code output} with the same symbolic batch, height and width (when the layers preserve the size, as
 * the U-Net does). Opset 13, IR version 7, so ONNX Runtime 1.21 (and much older) loads it.
 * <p>
 * The translation is generic over the graph's vertices in topological order: ConvolutionLayer to Conv
 * (+ Relu), max SubsamplingLayer to MaxPool, Deconvolution2D to ConvTranspose, DepthwiseConvolution2D (the blur
 * pool's, frozen in training) to a Conv with one group per channel, MergeVertex to Concat,
 * ScaleVertex to Mul, ElementWiseVertex Add/Subtract/Product to Add/Sub/Mul; dropout and identity loss
 * layers vanish at inference. Anything else throws an {@link IllegalArgumentException} naming the vertex.
 * Weights are copied as float initializers named {@code <vertex>.W} / {@code <vertex>.b}: DL4J's Conv
 * {@code W [nOut, nIn, kH, kW]} and Deconvolution2D {@code W [nIn, nOut, kH, kW]} are already the ONNX
 * layouts (no kernel flip).
 * <p>
 * A 3D U-Net (Convolution3D, Subsampling3DLayer, Deconvolution3D, Cnn3DLossLayer, all NCDHW) becomes the same
 * operators with 3D kernels, and its input and output are {@code [batch, C, depth, height, width]}. Convolution3D's
 * {@code W [nOut, nIn, kD, kH, kW]} is ONNX's layout; Deconvolution3D's is libnd4j's {@code [kD, kH, kW, nOut, nIn]},
 * written permuted to ONNX's {@code [nIn, nOut, kD, kH, kW]}.
 */
public final class OnnxExporter {

	public static final String INPUT = "input";
	public static final String OUTPUT = "output";
	public static final String PRODUCER = "Imagify";
	public static final int OPSET = 13;
	public static final long IR_VERSION = 7;

	private static final String DOC = "Image restoration network trained with Deeplearning4j and exported by Imagify. " +
		"Input 'input': float32 NCHW [batch, channels, height, width], normalised the way the model was trained; " +
		"output 'output': the restored image in the same layout.";

	private OnnxExporter() {}

	/** Exports the graph; {@code producerVersion} is the Imagify version recorded in the model. */
	public static byte[] export(ComputationGraph graph, String producerVersion) {
		return export(graph, producerVersion, Map.of());
	}

	/** As {@link #export(ComputationGraph, String)}, also storing {@code metadata} as the model's metadata_props. */
	public static byte[] export(ComputationGraph graph, String producerVersion, Map<String, String> metadata) {
		return toModel(graph, producerVersion, metadata).toByteArray();
	}

	static ModelProto toModel(ComputationGraph graph, String producerVersion, Map<String, String> metadata) {
		ModelProto.Builder model = ModelProto.newBuilder()
			.setIrVersion(IR_VERSION)
			.setProducerName(PRODUCER)
			.setProducerVersion(producerVersion == null ? "" : producerVersion)
			.setModelVersion(1)
			.setDocString(DOC)
			.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
			.setGraph(new GraphTranslator(graph).translate(DOC));
		new TreeMap<>(metadata).forEach((k, v) -> model.addMetadataProps(
			StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
		return model.build();
	}
}
