package io.github.imagify.degrade;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.github.imagify.image.FloatImage;

class DegradationSpecTest {

	static String error(Runnable r) {
		return assertThrows(IllegalArgumentException.class, r::run).getMessage();
	}

	@Test
	void emptyNoiseMeansTwentyFiveForNoiseAndNoneOtherwise() {
		assertEquals(25, DegradationSpec.withDefaultNoise("Gaussian_Noise", "", "", 30, 2).noiseSigmaMax());
		assertEquals(0, DegradationSpec.withDefaultNoise("gaussian_blur", "2", " ", 30, 2).noiseSigmaMax());
		assertEquals(5, DegradationSpec.withDefaultNoise("gaussian_blur", "2", "5", 30, 2).noiseSigmaMax());
	}

	@Test
	void parsesSingleValuesAndRanges() {
		DegradationSpec s = DegradationSpec.of("gaussian_noise", "0.5-3", "0-55", 30, 2);
		assertEquals(0.5, s.blurSigmaMin());
		assertEquals(3, s.blurSigmaMax());
		assertEquals(0, s.noiseSigmaMin());
		assertEquals(55, s.noiseSigmaMax());
		DegradationSpec fixed = DegradationSpec.of(" Gaussian_Noise ", "", " 25 ", 0, 2);
		assertEquals("gaussian_noise", fixed.type());
		assertEquals(25, fixed.noiseSigmaMin());
		assertEquals(25, fixed.noiseSigmaMax());
		assertEquals(0, fixed.blurSigmaMax());
		assertEquals(0, DegradationSpec.of("gaussian_noise", null, null, 0, 2).noiseSigmaMax());
		assertEquals(2.5, DegradationSpec.of("gaussian_noise", "", "1 - 2.5", 0, 2).noiseSigmaMax());
	}

	@Test
	void badTextNamesTheKeyAndTheForm() {
		String m = error(() -> DegradationSpec.of("gaussian_noise", "", "abc", 0, 2));
		assertTrue(m.contains("noise_sigma") && m.contains("min-max"), m);
		assertTrue(error(() -> DegradationSpec.of("gaussian_blur", "1..2", "", 0, 2)).contains("blur_sigma"));
		assertTrue(error(() -> DegradationSpec.of("gaussian_blur", "1-2-3", "", 0, 2)).contains("blur_sigma"));
	}

	@Test
	void validateNamesTheProblem() {
		assertEquals("noise_sigma must be >= 0, got -3", error(() -> DegradationSpec.of("gaussian_noise", "", "-3", 0, 2).validate()));
		assertTrue(error(() -> DegradationSpec.of("gaussian_noise", "", "55-0", 0, 2).validate()).contains("min <= max"));
		assertTrue(error(() -> DegradationSpec.of("gaussian_blur", "3-1", "", 0, 2).validate()).contains("blur_sigma"));
		assertTrue(error(() -> DegradationSpec.of("gaussian_blur", "1", "5-2", 0, 2).validate()).contains("noise_sigma"));
		String unknown = error(() -> DegradationSpec.of("salt", "", "", 0, 2).validate());
		for (String t : DegradationSpec.TYPES) assertTrue(unknown.contains(t), unknown);
		assertTrue(error(() -> DegradationSpec.of(null, "", "", 0, 2).validate()).contains("gaussian_noise"));
		assertTrue(error(() -> DegradationSpec.of("poisson_noise", "", "", 0, 2).validate()).contains("poisson_peak"));
		assertTrue(error(() -> DegradationSpec.of("downscale", "", "", 0, 1).validate()).contains("factor"));
		// fields a type does not use are not held against it
		DegradationSpec.of("gaussian_noise", "", "25", 0, 0).validate();
		DegradationSpec.of("poisson_noise", "-1", "", 10, 0).validate();
	}

	@Test
	void buildsTheRightDegradations() {
		assertInstanceOf(GaussianNoise.class, DegradationSpec.of("gaussian_noise", "1.5", "25", 0, 2).toDegradation());
		assertInstanceOf(GaussianBlur.class, DegradationSpec.of("gaussian_blur", "1.5", "0", 0, 2).toDegradation());
		Degradation blurNoise = DegradationSpec.of("gaussian_blur", "0.5-3", "0-5", 0, 2).toDegradation();
		List<Degradation> steps = assertInstanceOf(Chain.class, blurNoise).steps();
		assertInstanceOf(GaussianBlur.class, steps.get(0));
		assertInstanceOf(GaussianNoise.class, steps.get(1));
		assertEquals(9, blurNoise.margin());
		assertInstanceOf(PoissonNoise.class, DegradationSpec.of("poisson_noise", "", "", 30, 2).toDegradation());
		Degradation down = DegradationSpec.of("downscale", "", "2", 0, 3).toDegradation();
		assertInstanceOf(Downscale.class, assertInstanceOf(Chain.class, down).steps().get(0));
		assertEquals(6, down.margin());
		assertInstanceOf(Downscale.class, DegradationSpec.of("downscale", "", "", 0, 3).toDegradation());
		// and they do what they say
		FloatImage img = GaussianBlurTest.random(1, 30, 30, 1);
		FloatImage a = DegradationSpec.of("gaussian_noise", "", "25", 0, 2).toDegradation().apply(img, 255, new Random(4));
		FloatImage b = new GaussianNoise(25).apply(img, 255, new Random(4));
		assertEquals(b, a);
	}

	@Test
	void mapRoundTrip() {
		DegradationSpec s = DegradationSpec.of("gaussian_blur", "0.5-3", "0-5", 30, 4);
		Map<String, Object> m = s.toMap();
		assertEquals(List.of("type", "blur_sigma_min", "blur_sigma_max", "noise_sigma_min", "noise_sigma_max", "poisson_peak", "factor"),
				List.copyOf(m.keySet()));
		assertEquals("gaussian_blur", m.get("type"));
		assertEquals(s, DegradationSpec.fromMap(m));
		// as a JSON parser may hand them back
		Map<String, Object> json = new HashMap<>();
		json.put("type", "downscale");
		json.put("blur_sigma_min", 0L);
		json.put("blur_sigma_max", 1.5);
		json.put("noise_sigma_min", 2);
		json.put("noise_sigma_max", 2.0);
		json.put("poisson_peak", 30L);
		json.put("factor", 3.0);
		assertEquals(new DegradationSpec("downscale", 0, 1.5, 2, 2, 30, 3), DegradationSpec.fromMap(json));
		json.put("factor", 2.5);
		assertTrue(error(() -> DegradationSpec.fromMap(json)).contains("factor"));
		json.put("factor", "x");
		assertTrue(error(() -> DegradationSpec.fromMap(json)).contains("factor"));
		assertEquals(new DegradationSpec("gaussian_noise", 0, 0, 0, 0, 0, 0), DegradationSpec.fromMap(Map.of("type", "gaussian_noise")));
	}

	@Test
	void describesItself() {
		assertEquals("gaussian_noise sigma 0-55 (0..255 scale)", DegradationSpec.of("gaussian_noise", "", "0-55", 0, 2).describe());
		assertEquals("gaussian_noise sigma 25 (0..255 scale)", DegradationSpec.of("gaussian_noise", "1.5", "25", 0, 2).describe());
		assertEquals("gaussian_blur sigma 0.5-3 px", DegradationSpec.of("gaussian_blur", "0.5-3", "", 0, 2).describe());
		assertEquals("gaussian_blur sigma 1.5 px + gaussian_noise sigma 0-5 (0..255 scale)",
				DegradationSpec.of("gaussian_blur", "1.5", "0-5", 0, 2).describe());
		assertEquals("poisson_noise peak 30", DegradationSpec.of("poisson_noise", "", "", 30, 2).describe());
		assertEquals("downscale x4", DegradationSpec.of("downscale", "", "0", 30, 4).describe());
	}

	@Test
	void noiseSigmaDrawIsRecordedOnlyWhenItFavoursLowSigmas() {
		DegradationSpec uniform = DegradationSpec.of("gaussian_noise", "", "0-55", 0, 2);
		assertEquals(uniform, uniform.withNoiseDraw(null));
		assertEquals(uniform, uniform.withNoiseDraw(" Uniform "));
		assertFalse(uniform.toMap().containsKey("noise_sigma_draw"), "uniform maps (and resume keys) stay as they were");
		DegradationSpec low = uniform.withNoiseDraw("favour_low");
		assertTrue(low.noiseFavourLow());
		assertEquals("favour_low", low.toMap().get("noise_sigma_draw"));
		assertEquals(low, DegradationSpec.fromMap(low.toMap()));
		assertEquals("gaussian_noise sigma 0-55 (0..255 scale, low sigmas favoured)", low.describe());
		assertEquals(low.describe(), low.toDegradation().toString());
		assertEquals("gaussian_blur sigma 1 px + gaussian_noise sigma 0-5 (0..255 scale, low sigmas favoured)",
				DegradationSpec.of("gaussian_blur", "1", "0-5", 0, 2).withNoiseDraw("favour_low").toDegradation().toString());
		assertEquals("noise_sigma_draw must be 'uniform' or 'favour_low', got 'lowest'", error(() -> uniform.withNoiseDraw("lowest")));
	}
}
