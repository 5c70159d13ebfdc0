package io.github.imagify.imagej.restore;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import io.github.imagify.imagej.ImagePlusImages;
import io.github.imagify.restore.RestoreListener;
import io.github.imagify.restore.Restorer;

/**
 * Restores ImageJ images plane by plane: every 2D plane of a stack or hyperstack (Z, T and C) goes
 * through the {@link Restorer}; RGB planes are 3-channel planes. The input is only read.
 */
public final class ImageRestorer {

	private final Restorer restorer;

	public ImageRestorer(Restorer restorer) {
		this.restorer = restorer;
	}

	/**
	 * Returns the restored image: 32-bit for 8/16/32-bit input (in the input's intensity units), RGB for RGB
	 * input; same dimensions and calibration, title suffixed with "-restored". Null if cancelled.
	 */
	public ImagePlus restore(ImagePlus input, RestoreListener listener) throws Exception {
		return restore(input, false, listener);
	}

	/** As {@link #restore(ImagePlus, RestoreListener)}; with {@code keepBitDepth}, 8 and 16-bit results are rounded and clipped to the input's type. */
	public ImagePlus restore(ImagePlus input, boolean keepBitDepth, RestoreListener listener) throws Exception {
		ImageStack out = restoreRows(input, 0, input.getHeight(), keepBitDepth, listener);
		return out == null ? null : assemble(input, out);
	}

	/** Pixel rows [from, to) of band {@code index} (1-based) of {@code count} of this image: whole tile rows. */
	public int[] band(ImagePlus input, int index, int count) {
		return restorer.band(input.getHeight(), index, count);
	}

	/**
	 * Restores rows [{@code y0}, {@code y1}) of every plane (32-bit planes, RGB for RGB input, or the input's type
	 * with {@code keepBitDepth}): the same pixels as those rows of {@link #restore}, since each plane is normalised
	 * and tiled as a whole. Tiles stream from the input's pixels into the result's, so memory is the input plus the
	 * result. Null if cancelled.
	 */
	public ImageStack restoreRows(ImagePlus input, int y0, int y1, boolean keepBitDepth, RestoreListener listener) throws Exception {
		if (input.getWidth() < 1 || input.getHeight() < 1 || input.getStack().getPixels(1) == null)
			throw new IllegalArgumentException("The image '" + input.getTitle() + "' is empty; open an image with pixels");
		restorer.checkSize(input.getWidth(), input.getHeight()); // before any plane is restored
		boolean rgb = input.getType() == ImagePlus.COLOR_RGB;
		ImageStack in = input.getStack();
		int planes = in.getSize(), width = input.getWidth();
		ImageStack out = new ImageStack(width, y1 - y0);
		for (int i = 1; i <= planes; i++) {
			int plane = i;
			ImageProcessor source = in.getProcessor(i);
			ImageProcessor result = rgb ? new ColorProcessor(width, y1 - y0)
					: keepBitDepth ? source.createProcessor(width, y1 - y0) : new FloatProcessor(width, y1 - y0);
			boolean done = restorer.restore(ImagePlusImages.view(source), y0, y1, ImagePlusImages.view(result),
					(tiles, total) -> listener.progress((plane - 1 + tiles / (double) total) / planes));
			if (!done) return null;
			out.addSlice(in.getSliceLabel(i), result);
		}
		return out;
	}

	/** The restored planes of {@code input} as an image like it: dimensions, calibration, title, display range. */
	public static ImagePlus assemble(ImagePlus input, ImageStack restored) {
		ImagePlus result = new ImagePlus(restoredTitle(input.getTitle()), restored);
		result.setDimensions(input.getNChannels(), input.getNSlices(), input.getNFrames());
		if (input.isHyperStack()) result.setOpenAsHyperStack(true);
		result.setCalibration(input.getCalibration().copy());
		if (input.getType() != ImagePlus.COLOR_RGB) result.resetDisplayRange();
		return result;
	}

	/** "cells.tif" -> "cells-restored.tif". */
	static String restoredTitle(String title) {
		if (title == null || title.isEmpty()) return "restored";
		int dot = title.lastIndexOf('.');
		return dot > 0 ? title.substring(0, dot) + "-restored" + title.substring(dot) : title + "-restored";
	}
}
