package io.github.imagify.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Pure spec behaviour: validation, serialisation, sizes. The DL4J-backed checks are in {@link UNetTest}. */
class UNetSpecTest {

	@Test
	void defaultsFollowTheRecipe() {
		UNetSpec s = UNetSpec.defaults(3);
		assertEquals(new UNetSpec(3, 3, 32, 0.1, true, 1.0), s);
		assertEquals(8, s.sizeMultiple());
		// the design notes' 1.93 M-parameter network (base 32, three poolings, 3 channels)
		assertEquals(1_925_667L, s.parameterCount());
	}

	@Test
	void invalidValuesNameTheirKey() {
		assertMessage("channels", () -> new UNetSpec(0, 3, 32, 0.1, true, 1));
		assertMessage("depth", () -> new UNetSpec(1, 6, 32, 0.1, true, 1));
		assertMessage("depth", () -> new UNetSpec(1, 0, 32, 0.1, true, 1));
		assertMessage("base_filters", () -> new UNetSpec(1, 3, 0, 0.1, true, 1));
		assertMessage("base_filters", () -> new UNetSpec(1, 3, 257, 0.1, true, 1));
		assertMessage("dropout", () -> new UNetSpec(1, 3, 32, 1.0, true, 1));
		assertMessage("dropout", () -> new UNetSpec(1, 3, 32, Double.NaN, true, 1));
		assertMessage("input_scale", () -> new UNetSpec(1, 3, 32, 0.1, true, 0));
		assertMessage("refine_convs", () -> new UNetSpec(1, 3, 32, 0.1, true, 1, null, -1));
		assertMessage("refine_convs", () -> new UNetSpec(1, 3, 32, 0.1, true, 1, null, 17));
	}

	@Test
	void mapRoundTripAcceptsJsonNumberTypes() {
		UNetSpec s = new UNetSpec(2, 4, 16, 0.25, false, 0.5);
		assertEquals(s, UNetSpec.fromMap(s.toMap()));
		Map<String, Object> json = new HashMap<>();
		json.put("channels", 2.0);
		json.put("depth", 4L);
		json.put("base_filters", 16.0);
		json.put("dropout", 0.25);
		json.put("residual", "false");
		json.put("input_scale", 0.5);
		assertEquals(s, UNetSpec.fromMap(json));
		UNetSpec told = s.withCondition(UNetSpec.BLUR_SIGMA); // only a told spec writes the key
		assertEquals(told, UNetSpec.fromMap(told.toMap()));
		assertEquals(UNetSpec.BLUR_SIGMA, told.toMap().get("condition"));
		assertTrue(!s.toMap().containsKey("condition"));
		assertEquals(3, told.inputChannels());
		UNetSpec refined = s.withRefineConvs(2); // only a spec with refinement convolutions writes the key
		assertEquals(refined, UNetSpec.fromMap(refined.toMap()));
		assertEquals(2, refined.toMap().get("refine_convs"));
		assertTrue(!s.toMap().containsKey("refine_convs"));
		assertEquals(s.receptiveFieldRadius() + 2, refined.receptiveFieldRadius());
		UNetSpec noTopSkip = s.withTopSkip(false); // only a spec without the top skip writes the key
		assertEquals(noTopSkip, UNetSpec.fromMap(noTopSkip.toMap()));
		assertEquals(false, noTopSkip.toMap().get("top_skip"));
		assertTrue(!s.toMap().containsKey("top_skip") && UNetSpec.fromMap(s.toMap()).topSkip());
		assertEquals(s.receptiveFieldRadius(), noTopSkip.receptiveFieldRadius(), "the top skip's path lies inside the deeper ones'");
		UNetSpec blurPool = noTopSkip.withBlurPool(true); // only a spec with a blur pool writes the key
		assertEquals(blurPool, UNetSpec.fromMap(blurPool.toMap()));
		assertEquals(true, blurPool.toMap().get("blur_pool"));
		assertTrue(!s.toMap().containsKey("blur_pool") && !UNetSpec.fromMap(s.toMap()).blurPool());
		assertTrue(!blurPool.withBlurPool(false).toMap().containsKey("blur_pool"));
		Map<String, Object> yes = new HashMap<>(s.toMap());
		yes.put("blur_pool", "yes");
		assertMessage("blur_pool", () -> UNetSpec.fromMap(yes));
		json.put("condition", "noise_sigma");
		assertMessage("condition", () -> UNetSpec.fromMap(json));
		json.remove("condition");
		json.put("depth", 2.5);
		assertMessage("depth", () -> UNetSpec.fromMap(json));
		json.remove("depth");
		assertMessage("depth", () -> UNetSpec.fromMap(json));
	}

	@Test
	void receptiveFieldGrowsWithDepth() {
		// depth 1 by hand: decoder convs +-2, deconv halves, bottleneck +-2, pool [2a, 2b+1], encoder +-2
		assertEquals(9, new UNetSpec(1, 1, 4, 0, true, 1).receptiveFieldRadius());
		// with a blur pool, pooled pixel p reads [2p, 2p+3]: output 0's bottleneck interval [-3, 3] reaches [-6, 9], then [-8, 11]
		assertEquals(11, new UNetSpec(1, 1, 4, 0, true, 1).withBlurPool(true).receptiveFieldRadius());
		int previous = 0;
		for (int d = 1; d <= 5; d++) {
			int r = new UNetSpec(1, d, 4, 0, true, 1).receptiveFieldRadius();
			assertTrue(r > previous, "depth " + d + ": " + r);
			previous = r;
		}
	}

	private static void assertMessage(String key, org.junit.jupiter.api.function.Executable e) {
		IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
		assertTrue(x.getMessage().contains(key), x.getMessage());
	}
}
