package io.github.imagify.image;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class NormalizationTest {

	@Test
	void percentilesMapToZeroAndOneAndInvertExactly() {
		FloatImage img = new FloatImage(1, 1, 1001);
		for (int i = 0; i <= 1000; i++) img.data()[i] = 10 + i; // 10..1010
		Normalization.Range r = new Normalization(1, 99).measure(img);
		assertEquals(20, r.low(), 1e-9);
		assertEquals(1000, r.high(), 1e-9);
		FloatImage n = img.copy();
		r.normalize(n);
		assertEquals(0f, n.get(0, 0, 10), 1e-6f);
		assertEquals(1f, n.get(0, 0, 990), 1e-6f);
		r.denormalize(n);
		assertArrayEquals(img.data(), n.data(), 1e-3f);
	}

	@Test
	void flatImageGetsAUnitRangeAndNaNsAreIgnored() {
		FloatImage img = new FloatImage(1, 2, 2, new float[] { 5, 5, Float.NaN, 5 });
		Normalization.Range r = Normalization.DEFAULT.measure(img);
		assertEquals(5, r.low());
		assertEquals(6, r.high());
		assertThrows(IllegalArgumentException.class, () -> Normalization.DEFAULT.measure(new FloatImage(1, 1, 1, new float[] { Float.NaN })));
	}

	@Test
	void invalidPercentilesAreRejected() {
		assertThrows(IllegalArgumentException.class, () -> new Normalization(50, 10));
		assertThrows(IllegalArgumentException.class, () -> new Normalization(-1, 10));
	}
}
