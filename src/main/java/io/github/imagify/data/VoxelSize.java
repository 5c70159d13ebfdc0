package io.github.imagify.data;

import java.math.BigDecimal;
import java.util.Locale;

import ij.ImagePlus;
import ij.measure.Calibration;

/**
 * The size of a voxel as the image file records it (ImageJ's calibration): the pixel width (X; Y is taken as the same)
 * and the voxel depth (the Z step), in {@code unit}. An uncalibrated image has unit "pixel" and sizes 1.
 */
public record VoxelSize(double pixelWidth, double pixelDepth, String unit) {

	/**
	 * Pool in Z only while the Z step is under this many pixel widths. A 3D U-Net that halves Z as often as XY on
	 * anisotropic stacks runs out of planes long before XY and mixes planes that are far apart, so CARE/CSBDeep's
	 * anisotropic practice pools only in XY there (StarDist's 3D examples subsample an axis only where the data is at
	 * most 1.5x anisotropic, nnU-Net pools an axis only while its spacing is under 2x the finest): 2, as nnU-Net.
	 */
	public static final double MAX_POOLED_ANISOTROPY = 2;

	/** Whether a 3D U-Net should pool in Z, and the line that says why, for the training log. */
	public record PoolZSuggestion(boolean poolZ, String description) {}

	public static VoxelSize of(ImagePlus imp) {
		Calibration cal = imp.getCalibration();
		return new VoxelSize(cal.pixelWidth, cal.pixelDepth, cal.getUnit());
	}

	/** Whether the file gave a physical size: a unit other than pixels and positive, finite sizes. */
	public boolean calibrated() {
		String u = unit == null ? "" : unit.trim().toLowerCase(Locale.ROOT);
		return !u.isEmpty() && !u.startsWith("pixel") && pixelWidth > 0 && pixelDepth > 0 && Double.isFinite(pixelWidth) && Double.isFinite(pixelDepth);
	}

	/** Voxel depth over pixel width; 1 (taken as cubic) when uncalibrated. */
	public double anisotropy() {
		return calibrated() ? pixelDepth / pixelWidth : 1;
	}

	/** E.g. "voxel depth 0.5 um / pixel width 0.1 um = 5.0: no pooling in Z". */
	public PoolZSuggestion suggestPoolZ() {
		if (!calibrated())
			return new PoolZSuggestion(true, "no voxel size in the file (unit '" + unit + "'): voxels taken as cubes, pooling in Z; set pool_z=false if the Z step is"
					+ " over " + num(MAX_POOLED_ANISOTROPY) + "x the pixel width");
		double ratio = anisotropy();
		boolean pool = ratio < MAX_POOLED_ANISOTROPY;
		String u = shortUnit();
		return new PoolZSuggestion(pool, "voxel depth " + num(pixelDepth) + " " + u + " / pixel width " + num(pixelWidth) + " " + u + " = "
				+ String.format(Locale.ROOT, "%.1f", ratio) + (pool ? ": pooling in Z" : ": no pooling in Z"));
	}

	private String shortUnit() {
		return switch (unit.trim()) {
			case "micron", "microns", "\u00b5m", "\u03bcm" -> "um";
			default -> unit.trim();
		};
	}

	private static String num(double v) {
		return BigDecimal.valueOf(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
	}
}
