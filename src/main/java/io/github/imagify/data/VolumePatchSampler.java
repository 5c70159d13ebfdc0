package io.github.imagify.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.github.imagify.degrade.VolumeDegradation;
import io.github.imagify.image.FloatVolume;
import io.github.imagify.image.VolumeSymmetries;

/**
 * Cuts (degraded, clean) 3D patch pairs out of training volumes, as {@link PatchSampler} cuts planes.
 * <p>
 * The 90/10 split leaks no voxel: every volume is divided into a 3D grid of patch-sized cells ({@code patch_planes}
 * planes x {@code patch_size} x {@code patch_size}), a seeded share of all cells become the fixed validation patches,
 * and training patches are cropped at random positions whose box overlaps no validation cell, then turned/mirrored in
 * XY and mirrored in Z, and degraded afresh each time (with context around the patch in XY and Z for a blur).
 */
public final class VolumePatchSampler {

	/** The patch's side in X and Y ({@code patch_size}) and its planes ({@code patch_planes}). */
	public record PatchShape(int size, int depth) {
		public PatchShape {
			if (size < 8) throw new IllegalArgumentException("patch_size must be at least 8, got " + size);
			if (depth < 1) throw new IllegalArgumentException("patch_planes must be at least 1, got " + depth);
		}
	}

	/**
	 * A pair of normalised patches, {@code channels x depth x size x size} each, and the weight of each target voxel in
	 * the loss: null when every voxel counts alike, else the target's shape (Noise2Void scores only the voxels it masked).
	 */
	public record Pair(FloatVolume input, FloatVolume target, FloatVolume lossWeights) {

		public Pair(FloatVolume input, FloatVolume target) {
			this(input, target, null);
		}

		public Pair {
			if (lossWeights != null && !lossWeights.sameShape(target))
				throw new IllegalArgumentException("Loss weights " + lossWeights + " for a " + target + " target");
		}
	}

	private record Cell(int volume, int z, int y, int x) {}

	private static final int MAX_TRIES = 64;

	private final List<TrainingVolume> volumes;
	private final int size, depth;
	private final VolumeDegradation degradation;
	private final List<Cell> trainCells = new ArrayList<>();
	private final boolean[][] isValidationCell; // [volume][(layer * rows + row) * cols + col]
	private final double[] cumulativeVoxels;
	private final List<Pair> validation = new ArrayList<>();
	private final List<Pair> referenceValidation = new ArrayList<>();

	public VolumePatchSampler(List<TrainingVolume> volumes, PatchShape shape, VolumeDegradation degradation, double validationFraction, long seed) {
		if (!(validationFraction > 0 && validationFraction < 1))
			throw new IllegalArgumentException("validation fraction must be between 0 and 1, got " + validationFraction);
		if (degradation == null && volumes.stream().anyMatch(v -> v.degraded() == null))
			throw new IllegalArgumentException("Synthetic training needs a degradation");
		if (volumes.stream().map(v -> v.clean().channels()).distinct().count() > 1)
			throw new IllegalArgumentException("Training volumes differ in channels; give volumes of one kind");
		for (TrainingVolume v : volumes)
			if (v.depth() < shape.depth())
				throw new IllegalArgumentException(v.name() + " has " + v.depth() + " Z planes, fewer than patch_planes " + shape.depth() + "; use patch_planes <= "
						+ v.depth() + " or leave out stacks with fewer than " + shape.depth() + " planes");
		this.volumes = volumes;
		this.size = shape.size();
		this.depth = shape.depth();
		this.degradation = degradation;

		List<Cell> cells = new ArrayList<>();
		isValidationCell = new boolean[volumes.size()][];
		int largest = 0;
		for (int i = 0; i < volumes.size(); i++) {
			TrainingVolume v = volumes.get(i);
			int layers = v.depth() / depth, rows = v.height() / size, cols = v.width() / size;
			isValidationCell[i] = new boolean[layers * rows * cols];
			for (int l = 0; l < layers; l++)
				for (int r = 0; r < rows; r++)
					for (int c = 0; c < cols; c++) cells.add(new Cell(i, l * depth, r * size, c * size));
			largest = Math.max(largest, Math.min(v.height(), v.width()));
		}
		if (cells.size() < 2)
			throw new IllegalArgumentException("patch_size " + size + " x patch_planes " + depth + " leaves " + cells.size() + " patch(es) in the training stacks"
					+ " (largest fits " + largest + " px in XY); use a smaller patch_size or patch_planes, or more/larger stacks");
		Collections.shuffle(cells, new Random(seed));
		int nValidation = Math.max(1, (int) Math.round(cells.size() * validationFraction));
		List<Cell> validationCells = cells.subList(0, nValidation);
		trainCells.addAll(cells.subList(nValidation, cells.size()));
		for (Cell c : validationCells) isValidationCell[c.volume()][cellIndex(c.volume(), c.z() / depth, c.y() / size, c.x() / size)] = true;

		cumulativeVoxels = new double[volumes.size()];
		double sum = 0;
		for (int i = 0; i < volumes.size(); i++) {
			TrainingVolume v = volumes.get(i);
			boolean fits = v.height() >= size && v.width() >= size; // depth checked above
			sum += fits ? (double) v.depth() * v.height() * v.width() : 0;
			cumulativeVoxels[i] = sum;
		}
		Random validationRng = new Random(seed ^ 0x5DEECE66DL);
		for (Cell c : validationCells) {
			Pair pair = pair(c.volume(), c.z(), c.y(), c.x(), validationRng, false);
			validation.add(pair);
			TrainingVolume v = volumes.get(c.volume());
			if (v.reference() == null) continue;
			FloatVolume truth = v.reference().extract(c.z(), c.y(), c.x(), depth, size, size);
			v.range().normalize(truth.asPlanes()); // the noisy volume's range: the network's output is on that scale
			referenceValidation.add(new Pair(pair.input(), truth));
		}
	}

	private int cellIndex(int volume, int layer, int row, int col) {
		TrainingVolume v = volumes.get(volume);
		return (layer * (v.height() / size) + row) * (v.width() / size) + col;
	}

	public int patchSize() { return size; }
	public int patchDepth() { return depth; }
	/** The volumes' channels, which the model restores (and reads: no told condition in 3D). */
	public int channels() { return volumes.get(0).clean().channels(); }
	public int inputChannels() { return channels(); }
	public int trainingCells() { return trainCells.size(); }
	/** The fixed validation patches, degraded once with a fixed seed so losses compare across epochs. */
	public List<Pair> validation() { return validation; }
	/** The validation inputs of volumes with a clean reference, each with the same box of the clean volume as target. */
	public List<Pair> referenceValidation() { return referenceValidation; }

	/** A fresh random training pair, whose box overlaps no validation cell. */
	public Pair next(Random rng) {
		int index = pickVolume(rng);
		TrainingVolume v = volumes.get(index);
		for (int t = 0; t < MAX_TRIES; t++) {
			int z = rng.nextInt(v.depth() - depth + 1), y = rng.nextInt(v.height() - size + 1), x = rng.nextInt(v.width() - size + 1);
			if (!overlapsValidation(index, z, y, x)) return pair(index, z, y, x, rng, true);
		}
		Cell c = trainCells.get(rng.nextInt(trainCells.size())); // crowded by validation cells: use a whole training cell
		return pair(c.volume(), c.z(), c.y(), c.x(), rng, true);
	}

	private int pickVolume(Random rng) {
		double r = rng.nextDouble() * cumulativeVoxels[cumulativeVoxels.length - 1];
		for (int i = 0; i < cumulativeVoxels.length; i++)
			if (r < cumulativeVoxels[i]) return i;
		return cumulativeVoxels.length - 1;
	}

	/** Whether the box at (z, y, x) touches a validation cell; voxels beyond the last whole cell belong to none. */
	private boolean overlapsValidation(int volume, int z, int y, int x) {
		TrainingVolume v = volumes.get(volume);
		int layers = v.depth() / depth, rows = v.height() / size, cols = v.width() / size;
		for (int l = z / depth; l <= (z + depth - 1) / depth && l < layers; l++)
			for (int r = y / size; r <= (y + size - 1) / size && r < rows; r++)
				for (int c = x / size; c <= (x + size - 1) / size && c < cols; c++)
					if (isValidationCell[volume][cellIndex(volume, l, r, c)]) return true;
		return false;
	}

	private Pair pair(int volume, int z, int y, int x, Random rng, boolean augment) {
		TrainingVolume v = volumes.get(volume);
		FloatVolume clean = v.clean().extract(z, y, x, depth, size, size), input;
		if (v.degraded() != null) input = v.degraded().extract(z, y, x, depth, size, size);
		else {
			// degrade with context around the patch so blurs see real neighbours, then drop the context
			int m = degradation.marginXY(), mz = degradation.marginZ();
			FloatVolume wide = v.clean().extract(z - mz, y - m, x - m, depth + 2 * mz, size + 2 * m, size + 2 * m);
			input = degradation.apply(wide, v.dataRange(), rng).extract(mz, m, m, depth, size, size);
		}
		if (augment) {
			int turns = rng.nextInt(4);
			boolean flipX = rng.nextBoolean(), flipZ = rng.nextBoolean();
			clean = VolumeSymmetries.apply(clean, turns, flipX, flipZ);
			input = VolumeSymmetries.apply(input, turns, flipX, flipZ);
		}
		v.range().normalize(clean.asPlanes());
		v.range().normalize(input.asPlanes());
		return new Pair(input, clean);
	}
}
