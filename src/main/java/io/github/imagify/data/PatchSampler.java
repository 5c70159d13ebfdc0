package io.github.imagify.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.github.imagify.degrade.Degradation;
import io.github.imagify.degrade.KnownBlur;
import io.github.imagify.image.FloatImage;
import io.github.imagify.image.Symmetries;
import io.github.imagify.image.Tiling;

/**
 * Cuts (degraded, clean) patch pairs out of training images.
 * <p>
 * The split follows the paper's 90/10 patch split without leaking pixels: every image is divided into a
 * grid of patch-sized cells, a seeded 10 % of all cells become the fixed validation patches, and training
 * patches are cropped at random positions that overlap no validation cell, then flipped/rotated and
 * degraded afresh each time. With a {@link KnownBlur} degradation the input patch has one more channel, after the
 * image's, holding the blur sigma it was made with (in pixels), which a told model reads beside the image; for images
 * with a luminance guide, that channel is the luminance patch, degraded with the plane in one draw (the same noise
 * sigma, independent noise), as a noisy RGB image's opponent planes are.
 */
public final class PatchSampler {

	/**
	 * A pair of normalised patches, {@code channels x size x size} each (the input has one more with a known blur), and
	 * the weight of each target pixel in the loss: null when every pixel counts alike, else the target's shape (Noise2Void
	 * scores only the pixels it masked).
	 */
	public record Pair(FloatImage input, FloatImage target, FloatImage lossWeights) {

		public Pair(FloatImage input, FloatImage target) {
			this(input, target, null);
		}

		public Pair {
			if (lossWeights != null && !lossWeights.sameShape(target))
				throw new IllegalArgumentException("Loss weights " + lossWeights + " for a " + target + " target");
		}
	}

	private record Cell(int image, int y, int x) {}

	private static final int MAX_TRIES = 64;

	private final List<TrainingImage> images;
	private final int patchSize;
	private final Degradation degradation;
	private final List<Cell> trainCells = new ArrayList<>();
	private final List<Cell> validationCells = new ArrayList<>();
	private final boolean[][] isValidationCell; // [image][cellRow * cols + cellCol]
	private final double[] cumulativeArea;
	private final List<Pair> validation;
	private final List<Pair> referenceValidation;

	public PatchSampler(List<TrainingImage> images, int patchSize, Degradation degradation, double validationFraction, long seed) {
		if (patchSize < 8) throw new IllegalArgumentException("patch_size must be at least 8, got " + patchSize);
		if (!(validationFraction > 0 && validationFraction < 1))
			throw new IllegalArgumentException("validation fraction must be between 0 and 1, got " + validationFraction);
		if (degradation == null && images.stream().anyMatch(i -> i.degraded() == null))
			throw new IllegalArgumentException("Synthetic training needs a degradation");
		if (images.stream().anyMatch(i -> i.guide() != null) && (images.stream().anyMatch(i -> i.guide() == null) || degradation instanceof KnownBlur))
			throw new IllegalArgumentException("Either every training plane has a luminance guide or none, and not with a told blur");
		this.images = images;
		this.patchSize = patchSize;
		this.degradation = degradation;

		List<Cell> cells = new ArrayList<>();
		isValidationCell = new boolean[images.size()][];
		int largest = 0;
		for (int i = 0; i < images.size(); i++) {
			TrainingImage im = images.get(i);
			int rows = im.height() / patchSize, cols = im.width() / patchSize;
			isValidationCell[i] = new boolean[rows * cols];
			for (int r = 0; r < rows; r++)
				for (int c = 0; c < cols; c++) cells.add(new Cell(i, r * patchSize, c * patchSize));
			largest = Math.max(largest, Math.min(im.height(), im.width()));
		}
		if (cells.size() < 2)
			throw new IllegalArgumentException("patch_size " + patchSize + " leaves " + cells.size() + " patch(es) in the training images (largest fits "
					+ largest + " px); use a smaller patch_size or more/larger images");
		Collections.shuffle(cells, new Random(seed));
		int nValidation = Math.max(1, (int) Math.round(cells.size() * validationFraction));
		for (int k = 0; k < cells.size(); k++) {
			Cell cell = cells.get(k);
			if (k < nValidation) {
				validationCells.add(cell);
				isValidationCell[cell.image()][cellIndex(cell.image(), cell.y(), cell.x())] = true;
			} else trainCells.add(cell);
		}
		cumulativeArea = new double[images.size()];
		double sum = 0;
		for (int i = 0; i < images.size(); i++) {
			TrainingImage im = images.get(i);
			boolean fits = im.height() >= patchSize && im.width() >= patchSize;
			sum += fits ? (double) im.height() * im.width() : 0;
			cumulativeArea[i] = sum;
		}
		Random validationRng = new Random(seed ^ 0x5DEECE66DL);
		validation = new ArrayList<>(validationCells.size());
		referenceValidation = new ArrayList<>();
		for (Cell c : validationCells) {
			Pair pair = pair(c.image(), c.y(), c.x(), validationRng, false);
			validation.add(pair);
			TrainingImage im = images.get(c.image());
			if (im.reference() == null) continue;
			FloatImage truth = im.reference().crop(c.y(), c.x(), patchSize, patchSize);
			im.range().normalize(truth); // the noisy image's range: the network's output is on that scale
			referenceValidation.add(new Pair(pair.input(), truth));
		}
	}

	private int cellIndex(int image, int y, int x) {
		return (y / patchSize) * (images.get(image).width() / patchSize) + x / patchSize;
	}

	public int patchSize() { return patchSize; }
	/** The images' channels, which the model restores. */
	public int channels() { return images.get(0).clean().channels(); }
	/** Channels of an input patch: the images', and the told strength's with a {@link KnownBlur} or the luminance guide's. */
	public int inputChannels() { return channels() + (degradation instanceof KnownBlur || images.get(0).guide() != null ? 1 : 0); }
	public int trainingCells() { return trainCells.size(); }
	/** The fixed validation patches, degraded once with a fixed seed so losses compare across epochs. */
	public List<Pair> validation() { return validation; }
	/**
	 * The validation patches of images that have a clean reference (self-supervised training with {@code clean}): the
	 * same inputs as {@link #validation()}'s, each with the same crop of the clean image, normalised alike, as target.
	 */
	public List<Pair> referenceValidation() { return referenceValidation; }

	/** A fresh random training pair. */
	public Pair next(Random rng) {
		int image = pickImage(rng);
		TrainingImage im = images.get(image);
		for (int t = 0; t < MAX_TRIES; t++) {
			int y = rng.nextInt(im.height() - patchSize + 1), x = rng.nextInt(im.width() - patchSize + 1);
			if (!overlapsValidation(image, y, x)) return pair(image, y, x, rng, true);
		}
		Cell c = trainCells.get(rng.nextInt(trainCells.size())); // crowded by validation cells: use a whole training cell
		return pair(c.image(), c.y(), c.x(), rng, true);
	}

	private int pickImage(Random rng) {
		double r = rng.nextDouble() * cumulativeArea[cumulativeArea.length - 1];
		for (int i = 0; i < cumulativeArea.length; i++)
			if (r < cumulativeArea[i]) return i;
		return cumulativeArea.length - 1;
	}

	private boolean overlapsValidation(int image, int y, int x) {
		int cols = images.get(image).width() / patchSize, rows = images.get(image).height() / patchSize;
		for (int r = y / patchSize; r <= (y + patchSize - 1) / patchSize && r < rows; r++)
			for (int c = x / patchSize; c <= (x + patchSize - 1) / patchSize && c < cols; c++)
				if (isValidationCell[image][r * cols + c]) return true;
		return false;
	}

	private Pair pair(int image, int y, int x, Random rng, boolean augment) {
		TrainingImage im = images.get(image);
		FloatImage clean = im.clean().crop(y, x, patchSize, patchSize);
		FloatImage input;
		Double told = null;
		if (im.degraded() != null) input = im.degraded().crop(y, x, patchSize, patchSize);
		else if (im.guide() != null) {
			int m = degradation.margin();
			FloatImage plane = Tiling.extract(im.clean(), y - m, x - m, patchSize + 2 * m, patchSize + 2 * m);
			FloatImage guide = Tiling.extract(im.guide(), y - m, x - m, patchSize + 2 * m, patchSize + 2 * m);
			input = degradation.apply(plane.withChannels(guide), im.dataRange(), rng).crop(m, m, patchSize, patchSize);
		} else {
			// degrade with context around the patch so blurs see real neighbours, then drop the context
			int m = degradation.margin();
			FloatImage wide = Tiling.extract(im.clean(), y - m, x - m, patchSize + 2 * m, patchSize + 2 * m);
			if (degradation instanceof KnownBlur known) {
				KnownBlur.Drawn drawn = known.draw(wide, im.dataRange(), rng);
				wide = drawn.degraded();
				told = drawn.blurSigma();
			} else wide = degradation.apply(wide, im.dataRange(), rng);
			input = wide.crop(m, m, patchSize, patchSize);
		}
		if (augment) {
			int rot = rng.nextInt(4);
			boolean flip = rng.nextBoolean();
			clean = Symmetries.apply(clean, rot, flip);
			input = Symmetries.apply(input, rot, flip);
		}
		im.range().normalize(clean);
		im.range().normalize(input);
		if (told != null) input = input.withConstantChannel(told.floatValue()); // after normalising: a sigma in pixels
		return new Pair(input, clean);
	}
}
