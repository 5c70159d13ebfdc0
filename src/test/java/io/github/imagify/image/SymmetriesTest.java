package io.github.imagify.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SymmetriesTest {

	@Test
	void theEightSymmetriesAreDistinctAndIndexZeroIsTheIdentity() {
		FloatImage img = new FloatImage(1, 3, 3);
		for (int i = 0; i < 9; i++) img.data()[i] = i;
		Set<FloatImage> seen = new HashSet<>();
		for (int k = 0; k < Symmetries.COUNT; k++) seen.add(Symmetries.apply(img, k));
		assertEquals(8, seen.size());
		assertEquals(img, Symmetries.apply(img, 0));
		assertEquals(2f, Symmetries.apply(img, 1, false).get(0, 0, 0)); // a quarter turn brings the top-right corner to the top-left
		assertEquals(2f, Symmetries.apply(img, 0, true).get(0, 0, 0)); // a mirror too
	}

	@Test
	void rectanglesTurnAndComeBackUnchanged() {
		FloatImage img = new FloatImage(2, 3, 5); // two channels, 3 rows of 5
		for (int i = 0; i < img.data().length; i++) img.data()[i] = i * 0.5f - 3;
		Set<FloatImage> seen = new HashSet<>();
		for (int k = 0; k < Symmetries.COUNT; k++) {
			FloatImage turned = Symmetries.apply(img, k);
			seen.add(turned);
			boolean quarter = (k & 1) == 1;
			assertEquals(quarter ? 5 : 3, turned.height(), "symmetry " + k);
			assertEquals(quarter ? 3 : 5, turned.width(), "symmetry " + k);
			assertEquals(img, Symmetries.undo(turned, k), "symmetry " + k);
		}
		assertEquals(8, seen.size());
		// a quarter turn anticlockwise: the last column becomes the first row, read top to bottom
		FloatImage turned = Symmetries.apply(img, 1);
		for (int x = 0; x < 3; x++) assertEquals(img.get(1, x, 4), turned.get(1, 0, x));
	}
}
