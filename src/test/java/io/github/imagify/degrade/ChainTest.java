package io.github.imagify.degrade;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.github.imagify.image.FloatImage;

class ChainTest {

	/** A step that records its order by an affine map, so a different order gives a different result. */
	record Affine(float scale, float offset, int margin) implements Degradation {
		@Override
		public FloatImage apply(FloatImage clean, double dataRange, Random rng) {
			FloatImage out = clean.copy();
			for (int i = 0; i < out.data().length; i++) out.data()[i] = out.data()[i] * scale + offset;
			return out;
		}
	}

	@Test
	void appliesInOrderAndSumsMargins() {
		FloatImage img = new FloatImage(1, 1, 2, new float[] { 1, 2 });
		Chain chain = new Chain(List.of(new Affine(2, 0, 3), new Affine(1, 10, 4)));
		assertArrayEquals(new float[] { 12, 14 }, chain.apply(img, 255, new Random(0)).data()); // (x*2)+10, not (x+10)*2
		assertEquals(7, chain.margin());
		assertArrayEquals(new float[] { 1, 2 }, img.data());
	}

	@Test
	void emptyChainIsACopy() {
		FloatImage img = new FloatImage(1, 1, 2, new float[] { 1, 2 });
		FloatImage out = new Chain(List.of()).apply(img, 255, new Random(0));
		assertEquals(img, out);
		assertNotSame(img, out);
		assertThrows(IllegalArgumentException.class, () -> new Chain(null));
	}

	@Test
	void blurThenNoiseIsReproducible() {
		FloatImage img = GaussianBlurTest.random(1, 20, 20, 1);
		Chain chain = new Chain(List.of(new GaussianBlur(1, 2), new GaussianNoise(5, 10)));
		assertEquals(chain.apply(img, 255, new Random(3)), chain.apply(img, 255, new Random(3)));
		assertEquals(6, chain.margin());
	}
}
