package io.github.imagify.degrade;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;

import org.junit.jupiter.api.Test;

import io.github.imagify.image.FloatImage;

class DownscaleTest {

	@Test
	void constantImageIsUnchangedAndSizeIsKeptForOddSizes() {
		for (int factor : new int[] { 2, 3, 4 }) {
			FloatImage flat = new FloatImage(2, 7, 9);
			java.util.Arrays.fill(flat.data(), 42.5f);
			FloatImage out = new Downscale(factor).apply(flat, 255, new Random(0));
			assertTrue(out.sameShape(flat), out.toString());
			assertArrayEquals(flat.data(), out.data(), 1e-4f, "factor " + factor);
		}
	}

	@Test
	void checkerboardBecomesFlat() {
		FloatImage board = new FloatImage(1, 16, 20);
		for (int y = 0; y < 16; y++)
			for (int x = 0; x < 20; x++) board.set(0, y, x, (x + y) % 2 == 0 ? 0 : 200);
		FloatImage out = new Downscale(2).apply(board, 255, new Random(0));
		for (float v : out.data()) assertEquals(100, v, 1e-3);
	}

	@Test
	void rampStaysARampInside() {
		// block averages of a linear ramp sit at the block centres, so bilinear interpolation restores it
		FloatImage ramp = new FloatImage(1, 4, 24);
		for (int y = 0; y < 4; y++)
			for (int x = 0; x < 24; x++) ramp.set(0, y, x, 3 * x);
		FloatImage out = new Downscale(4).apply(ramp, 255, new Random(0));
		for (int x = 2; x <= 21; x++) assertEquals(3 * x, out.get(0, 1, x), 1e-3, "x " + x); // between first and last centre
		assertEquals(3 * 1.5, out.get(0, 1, 0), 1e-3); // clamped before the first centre
	}

	@Test
	void raggedBlockAveragesWhatExists() {
		// width 5 at factor 2: blocks {0,1}, {2,3}, {4}; the last block's average is pixel 4 itself
		FloatImage row = new FloatImage(1, 1, 5, new float[] { 10, 20, 30, 40, 90 });
		FloatImage out = new Downscale(2).apply(row, 255, new Random(0));
		assertEquals(15, out.get(0, 0, 0), 1e-4);
		assertEquals(90, out.get(0, 0, 4), 1e-4); // the centre of the 1-pixel block is pixel 4
		assertEquals(35 + (90 - 35) * (3 - 2.5) / 1.5, out.get(0, 0, 3), 1e-4); // between centres 2.5 and 4
	}

	@Test
	void removesDetailAndKeepsInput() {
		FloatImage img = GaussianBlurTest.random(1, 33, 31, 3);
		FloatImage before = img.copy();
		FloatImage out = new Downscale(3).apply(img, 255, new Random(0));
		assertEquals(before, img);
		assertTrue(GaussianBlurTest.variance(out) < 0.3 * GaussianBlurTest.variance(img));
		assertEquals(GaussianBlurTest.mean(img), GaussianBlurTest.mean(out), 0.03 * GaussianBlurTest.mean(img));
		assertEquals(6, new Downscale(3).margin());
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new Downscale(1)).getMessage().contains("factor"));
	}
}
