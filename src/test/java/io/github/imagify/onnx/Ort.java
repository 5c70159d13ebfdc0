package io.github.imagify.onnx;

import java.io.ByteArrayInputStream;
import java.util.Map;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;

/** Runs an in-memory ONNX model once in ONNX Runtime through DJL: the real inference path, no mocks. */
final class Ort {

	static {
		// Before any DJL class starts: no alternative engine lookup, no usage tracking (it probes the network).
		System.setProperty("ai.djl.onnx.disable_alternative", "true");
		System.setProperty("OPT_OUT_TRACKING", "true");
	}

	private Ort() {}

	/** Output of {@code onnx} for an NCHW float input. */
	static float[] run(byte[] onnx, float[] input, long... shape) throws Exception {
		try (Model model = Model.newInstance("parity", Device.cpu(), "OnnxRuntime")) {
			model.load(new ByteArrayInputStream(onnx), Map.of());
			try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
				NDManager manager = model.getNDManager().newSubManager()) {
				NDList out = predictor.predict(new NDList(manager.create(input, new Shape(shape))));
				return out.get(0).toFloatArray();
			}
		}
	}
}
