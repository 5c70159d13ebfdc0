package io.github.imagify.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.github.imagify.bundled.BundledModels;
import io.github.imagify.model.UNetSpec;
import io.github.imagify.modelfile.ModelFile;

class FlopCountTest {

	/** The count from the graph equals a count from the spec, and the hand count in FlopCount's comment. */
	@Test
	void bundledModelMatchesTheHandCount() throws Exception {
		ModelFile model = BundledModels.load(BundledModels.DEFAULT_GRAY);
		UNetSpec spec = UNetSpec.fromMap(model.info().network());
		assertEquals(280_192, FlopCount.of(model.onnx()).flopsPerPixel(), 1e-6);
		assertEquals(fromSpec(spec), FlopCount.of(model.onnx()).flopsPerPixel(), 1e-6);
	}

	/** 2 FLOPs per multiply-add, per input pixel: level l has 4^-l of the pixels. */
	private static double fromSpec(UNetSpec s) {
		double total = 2.0 * s.filters(0) * s.channels(); // 1x1 head
		long in = s.channels();
		for (int l = 0; l <= s.depth(); l++) {
			double share = Math.pow(4, -l);
			long f = s.filters(l);
			total += share * 2 * 9 * (in * f + f * f); // two 3x3 convolutions on the way down (or the bottleneck)
			if (l < s.depth()) // on the way up: the 2x2 transposed conv from level l+1, then two 3x3 after the concat
				total += share * (2.0 * s.filters(l + 1) * f + 2 * 9 * (2 * f * f + f * f));
			in = f;
		}
		return total + s.refineConvs() * 2.0 * 9 * s.filters(0) * s.filters(0); // the full-resolution refinement convs
	}
}
