package io.github.imagify.imagej.restore;

import java.util.ArrayList;
import java.util.List;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import io.github.imagify.image.PlaneView;
import io.github.imagify.imagej.ImagePlusImages;
import io.github.imagify.restore.RestoreListener;
import io.github.imagify.restore.Restorer;

/**
 * Restores ImageJ images plane by plane: every 2D plane of a stack or hyperstack (Z, T and C) goes
 * through the {@link Restorer}; RGB planes are 3-channel planes. With a 3D model, each channel and time point of a
 * hyperstack is a Z-stack restored as one volume ({@link Restorer#restoreVolume}). The input is only read.
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
		if (restorer.is3d()) return restoreVolumes(input, y0, y1, keepBitDepth, listener);
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

	/**
	 * {@link #restoreRows} with a 3D model: the Z planes of each channel and time point, a volume, stream from the
	 * input's pixels into the result's; the result's planes are in the input's order.
	 */
	private ImageStack restoreVolumes(ImagePlus input, int y0, int y1, boolean keepBitDepth, RestoreListener listener) throws Exception {
		int channels = input.getNChannels(), slices = input.getNSlices(), frames = input.getNFrames();
		if (slices == 1 && input.getStackSize() > 1)
			throw new IllegalArgumentException("Image '" + input.getTitle() + "' has one Z plane per channel and time point, and model '" + restorer.info().name()
					+ "' is a 3D model that restores Z-stacks; if its planes are Z planes, set them as slices (Image > Properties), or use a 2D model");
		restorer.checkDepth(slices); // before any volume is restored
		boolean rgb = input.getType() == ImagePlus.COLOR_RGB;
		ImageStack in = input.getStack();
		int width = input.getWidth(), volumes = channels * frames;
		ImageProcessor[] results = new ImageProcessor[in.getSize()];
		int done = 0;
		for (int t = 1; t <= frames; t++)
			for (int c = 1; c <= channels; c++) {
				List<PlaneView> planes = new ArrayList<>(slices), out = new ArrayList<>(slices);
				for (int z = 1; z <= slices; z++) {
					int index = input.getStackIndex(c, z, t);
					ImageProcessor source = in.getProcessor(index);
					results[index - 1] = rgb ? new ColorProcessor(width, y1 - y0)
							: keepBitDepth ? source.createProcessor(width, y1 - y0) : new FloatProcessor(width, y1 - y0);
					planes.add(ImagePlusImages.view(source));
					out.add(ImagePlusImages.view(results[index - 1]));
				}
				int volume = done++;
				if (!restorer.restoreVolume(planes, y0, y1, out, (tiles, total) -> listener.progress((volume + tiles / (double) total) / volumes)))
					return null;
			}
		ImageStack stack = new ImageStack(width, y1 - y0);
		for (int i = 1; i <= in.getSize(); i++) stack.addSlice(in.getSliceLabel(i), results[i - 1]);
		return stack;
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
