package io.github.imagify.blindspot;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import io.github.imagify.data.PatchDataSetIterator;
import io.github.imagify.data.PatchSampler;
import io.github.imagify.data.TrainingImage;
import io.github.imagify.image.FloatImage;
import io.github.imagify.image.Normalization;
import io.github.imagify.imagej.ImagePlusImages;
import io.github.imagify.testing.TestImages;

/** Noise2Void's masking of real patches: where it masks, what it puts there, what it scores, and that the seed decides it all. */
class BlindSpotMaskerTest {

	/** A two-channel 40x48 patch whose every value is its own index, so a replacement tells where it came from. */
	static PatchSampler.Pair indexed() {
		FloatImage patch = new FloatImage(2, 40, 48);
		for (int i = 0; i < patch.data().length; i++) patch.data()[i] = i;
		return new PatchSampler.Pair(patch, patch.copy());
	}

	@Test
	void masksOnePixelPerGridCellAndReplacesItWithAnotherPixelOfItsWindow() {
		BlindSpotMasking masking = new BlindSpotMasking(0.04, 5, BlindSpotMasking.UNIFORM, BlindSpotMasking.NONE, 5); // a grid of 5
		PatchSampler.Pair pair = indexed();
		PatchSampler.Pair masked = new BlindSpotMasker(masking).prepare(pair, new Random(1));
		assertEquals(indexed().input(), pair.input(), "the drawn pair is not changed");
		assertSame(pair.target(), masked.target(), "the target is the noisy patch itself");
		int h = 40, w = 48;
		for (int c = 0; c < 2; c++) {
			int[] perCell = new int[(h / 5) * (w / 5 + 1)];
			int count = 0;
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					float in = masked.input().get(c, y, x), weight = masked.lossWeights().get(c, y, x);
					boolean changed = in != pair.input().get(c, y, x);
					assertEquals(changed, weight > 0, "exactly the masked pixels are scored, at " + c + "," + y + "," + x);
					if (!changed) continue;
					count++;
					perCell[(y / 5) * (w / 5 + 1) + x / 5]++;
					int from = (int) in, fromC = from / (h * w), fromY = from % (h * w) / w, fromX = from % w;
					assertEquals(c, fromC, "replaced from its own channel");
					assertTrue(Math.abs(fromY - y) <= 2 && Math.abs(fromX - x) <= 2, "from the 5x5 window: " + fromY + "," + fromX + " for " + y + "," + x);
				}
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++)
					if (masked.lossWeights().get(c, y, x) > 0)
						assertEquals((float) h * w / count, masked.lossWeights().get(c, y, x), 1e-3, "weights make the loss a mean over the masked pixels");
			for (int cell = 0; cell < perCell.length; cell++)
				assertTrue(perCell[cell] <= 1, "at most one masked pixel per cell");
			long full = Arrays.stream(perCell).limit(perCell.length).filter(n -> n == 1).count();
			assertTrue(full >= (h / 5) * (w / 5), "every whole cell holds one: " + full); // 8 x 9 whole cells, the cut 10th column sometimes
			assertEquals(0.04 * h * w, count, 0.25 * 0.04 * h * w, "about the masked fraction");
		}
	}

	/** N2V2's median replacement and structN2V's line: the median of the window without the pixel's row; the row scrambled and not scored. */
	@Test
	void medianReplacementAndStructMaskHideTheMaskedPixelsLine() {
		BlindSpotMasking masking = new BlindSpotMasking(0.04, 5, BlindSpotMasking.MEDIAN, BlindSpotMasking.HORIZONTAL, 5);
		PatchSampler.Pair pair = indexed();
		PatchSampler.Pair masked = new BlindSpotMasker(masking).prepare(pair, new Random(2));
		int h = 40, w = 48, scored = 0;
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				if (masked.lossWeights().get(0, y, x) == 0) continue;
				scored++;
				// the window's rows other than the pixel's own, inside the patch: an indexed patch's median is exact
				List<Float> window = new java.util.ArrayList<>();
				for (int dy = -2; dy <= 2; dy++)
					for (int dx = -2; dx <= 2; dx++)
						if (dy != 0 && y + dy >= 0 && y + dy < h && x + dx >= 0 && x + dx < w) window.add(pair.input().get(0, y + dy, x + dx));
				window.sort(null);
				int n = window.size();
				float median = n % 2 == 1 ? window.get(n / 2) : (window.get(n / 2 - 1) + window.get(n / 2)) / 2;
				boolean overwritten = false; // a neighbour's line may cross this pixel afterwards
				for (int k = -2; k <= 2; k++)
					overwritten |= k != 0 && x + k >= 0 && x + k < w && masked.lossWeights().get(0, y, x + k) > 0;
				if (!overwritten) assertEquals(median, masked.input().get(0, y, x), "the median of the window off the line");
				for (int k = -2; k <= 2; k++)
					if (k != 0 && x + k >= 0 && x + k < w && masked.lossWeights().get(0, y, x + k) == 0)
						assertNotEquals(pair.input().get(0, y, x + k), masked.input().get(0, y, x + k), "the line beside a masked pixel is replaced");
			}
		assertTrue(scored > 40, "masked " + scored);
		int changed = 0;
		for (int i = 0; i < h * w; i++) changed += masked.input().data()[i] != pair.input().data()[i] ? 1 : 0;
		assertTrue(changed > 3 * scored, "the lines are changed, not scored: " + changed + " changed, " + scored + " scored");
	}

	/** The batches the producer thread makes, masks included, are the seed's: the same seed the same, another seed others. */
	@Test
	void maskingIsReproducibleFromTheSeed() throws Exception {
		List<TrainingImage> noisy = new java.util.ArrayList<>();
		for (int i = 0; i < 2; i++) { // each its own target, as Noise2Void trains
			FloatImage plane = ImagePlusImages.plane(new ij.ImagePlus("n", TestImages.blobs(64, 64, 3 + i)), 1);
			Normalization.Range range = Normalization.DEFAULT.measure(plane);
			noisy.add(new TrainingImage("n" + i, plane, plane, range.scale(), range));
		}
		PatchSampler sampler = new PatchSampler(noisy, 32, null, 0.1, 7);
		BlindSpotMasker masker = new BlindSpotMasker(BlindSpotMasking.DEFAULT);
		DataSet a = new PatchDataSetIterator(sampler, 4, 2, 99, masker).next(), b = new PatchDataSetIterator(sampler, 4, 2, 99, masker).next();
		DataSet other = new PatchDataSetIterator(sampler, 4, 2, 100, masker).next();
		assertNotNull(a.getLabelsMaskArray(), "the loss weights travel as the labels mask");
		assertEquals(a.getFeatures(), b.getFeatures());
		assertEquals(a.getLabels(), b.getLabels());
		assertEquals(a.getLabelsMaskArray(), b.getLabelsMaskArray());
		assertNotEquals(a.getLabelsMaskArray(), other.getLabelsMaskArray());
		// and the same patch masked twice from one seed: the same places, the same replacements
		PatchSampler.Pair pair = sampler.validation().get(0);
		PatchSampler.Pair once = masker.prepare(pair, new Random(5)), again = masker.prepare(pair, new Random(5)), otherSeed = masker.prepare(pair, new Random(6));
		assertEquals(once.input(), again.input());
		assertEquals(once.lossWeights(), again.lossWeights());
		assertNotEquals(once.lossWeights(), otherSeed.lossWeights());
	}

	@Test
	void badSettingsNameTheirKey() {
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new BlindSpotMasking(0, 5, "uniform", "none", 5)).getMessage().startsWith("masked_fraction"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new BlindSpotMasking(0.002, 4, "uniform", "none", 5)).getMessage()
				.startsWith("mask_neighbourhood must be an odd number"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new BlindSpotMasking(0.002, 5, "mean", "none", 5)).getMessage()
				.startsWith("mask_replacement must be one of uniform, median"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new BlindSpotMasking(0.002, 5, "uniform", "diagonal", 5)).getMessage()
				.startsWith("struct_mask must be one of none, horizontal, vertical"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new BlindSpotMasking(0.002, 5, "uniform", "vertical", 2)).getMessage()
				.startsWith("struct_mask_span"));
		assertEquals(List.of("mask_replacement", "struct_mask"), new BlindSpotMasking(0.002, 5, " Median", "VERTICAL", 5).keysSet());
		assertEquals(22, BlindSpotMasking.DEFAULT.gridSpacing(), "N2V's 0.2 %: one pixel in 22 x 22");
	}
}
