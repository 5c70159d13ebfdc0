package io.github.imagify.bench;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.imagify.plugin.PluginClassLoader;

/**
 * The machine's FP32 matrix-multiply rate, measured in the same run as the rest: an n x n x n SGEMM through
 * ND4J (OpenBLAS, as DL4J's dense maths) and through an ONNX Runtime MatMul graph (MLAS, the kernels that run
 * our convolutions), all cores. The larger of the two medians is the "peak" the other figures are compared with.
 * ONNX Runtime is called directly here, not through DJL, so that no array copy between Java and native memory
 * is timed: inputs are created once, and the result stays native.
 */
final class GemmSection {

	private GemmSection() {}

	static void run(int n, int repeats, Map<String, Double> figures, java.io.PrintStream out) throws Exception {
		double flops = 2.0 * n * n * n;
		double[] nd4j = nd4j(n, repeats);
		double[] ort = ort(n, repeats);
		double nd4jGflops = flops / Measure.median(nd4j) / 1e9, ortGflops = flops / Measure.median(ort) / 1e9;
		out.println(String.format("gemm: SGEMM %dx%dx%d, ND4J/OpenBLAS: %s = %.1f GFLOP/s", n, n, n, Measure.describe(nd4j), nd4jGflops));
		out.println(String.format("gemm: SGEMM %dx%dx%d, ONNX Runtime MatMul: %s = %.1f GFLOP/s", n, n, n, Measure.describe(ort), ortGflops));
		figures.put("gemm_n", (double) n);
		figures.put("gemm_nd4j_gflops", nd4jGflops);
		figures.put("gemm_ort_gflops", ortGflops);
		figures.put("gemm_peak_gflops", Math.max(nd4jGflops, ortGflops));
	}

	private static double[] nd4j(int n, int repeats) throws Exception {
		return PluginClassLoader.asContext(() -> {
			INDArray a = Nd4j.rand(DataType.FLOAT, n, n), b = Nd4j.rand(DataType.FLOAT, n, n);
			INDArray c = Nd4j.create(DataType.FLOAT, n, n);
			Nd4j.gemm(a, b, c, false, false, 1.0, 0.0); // warm-up: thread pool, packing buffers
			return Measure.seconds(repeats, () -> Nd4j.gemm(a, b, c, false, false, 1.0, 0.0));
		});
	}

	private static double[] ort(int n, int repeats) throws Exception {
		OrtEnvironment env = OrtEnvironment.getEnvironment();
		try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
			options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
			options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
			float[] values = new float[n * n];
			Random rng = new Random(1);
			for (int i = 0; i < values.length; i++) values[i] = rng.nextFloat();
			long[] shape = { n, n };
			try (OrtSession session = env.createSession(matMul(n), options);
					OnnxTensor a = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
					OnnxTensor b = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape)) {
				Map<String, OnnxTensor> inputs = Map.of("a", a, "b", b);
				session.run(inputs).close(); // warm-up
				return Measure.seconds(repeats, () -> session.run(inputs).close());
			}
		}
	}

	/** An ONNX graph c = a x b for two n x n float inputs. */
	static byte[] matMul(int n) {
		GraphProto graph = GraphProto.newBuilder().setName("sgemm")
				.addNode(NodeProto.newBuilder().setOpType("MatMul").setName("matmul").addInput("a").addInput("b").addOutput("c"))
				.addInput(matrix("a", n)).addInput(matrix("b", n)).addOutput(matrix("c", n)).build();
		return ModelProto.newBuilder().setIrVersion(7).addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
				.setGraph(graph).build().toByteArray();
	}

	private static ValueInfoProto matrix(String name, int n) {
		TensorShapeProto.Dimension d = TensorShapeProto.Dimension.newBuilder().setDimValue(n).build();
		TypeProto.Tensor type = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE)
				.setShape(TensorShapeProto.newBuilder().addDim(d).addDim(d)).build();
		return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(type)).build();
	}
}
