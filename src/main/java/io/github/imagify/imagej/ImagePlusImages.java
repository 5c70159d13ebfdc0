package io.github.imagify.imagej;

import ij.ImagePlus;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import io.github.imagify.image.FloatImage;
import io.github.imagify.image.FloatVolume;
import io.github.imagify.image.PlaneView;
import io.github.imagify.image.Tensors;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.converter.Converters;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;

/**
 * ImageJ 1 images seen as ImgLib2 images. Planes are wrapped around ImageJ's own pixel arrays, not copied
 * (imglib2-ij would do this in Fiji, but it is not on Maven Central, so the few lines live here).
 */
public final class ImagePlusImages {

	private ImagePlusImages() {}

	/** Wraps one 2D plane: XY for 8/16/32-bit, XYC (R, G, B) for RGB. */
	public static RandomAccessibleInterval<? extends RealType<?>> wrap(ImageProcessor ip) {
		int w = ip.getWidth(), h = ip.getHeight();
		if (ip instanceof ByteProcessor) return ArrayImgs.unsignedBytes((byte[]) ip.getPixels(), w, h);
		if (ip instanceof ShortProcessor) return ArrayImgs.unsignedShorts((short[]) ip.getPixels(), w, h);
		if (ip instanceof FloatProcessor) return ArrayImgs.floats((float[]) ip.getPixels(), w, h);
		if (ip instanceof ColorProcessor) return Converters.argbChannels(ArrayImgs.argbs((int[]) ip.getPixels(), w, h), 1, 2, 3);
		throw new IllegalArgumentException("Unsupported ImageJ image type: " + ip.getClass().getSimpleName());
	}

	/** Channels of one stack plane as the network sees them: 3 for RGB, 1 otherwise. */
	public static int channelsPerPlane(ImagePlus imp) {
		return imp.getType() == ImagePlus.COLOR_RGB ? 3 : 1;
	}

	/** Stack plane {@code index} (1-based, ImageJ's convention) as a float image. */
	public static FloatImage plane(ImagePlus imp, int index) {
		return Tensors.fromImg(wrap(imp.getStack().getProcessor(index)));
	}

	/** The Z-stack of channel {@code c} and time point {@code t} (1-based) of a hyperstack as a volume, each plane's colour channels kept. */
	public static FloatVolume volume(ImagePlus imp, int c, int t) {
		int depth = imp.getNSlices(), planeSize = imp.getWidth() * imp.getHeight(), colours = channelsPerPlane(imp);
		FloatVolume volume = new FloatVolume(colours, depth, imp.getHeight(), imp.getWidth());
		for (int z = 0; z < depth; z++) {
			FloatImage plane = plane(imp, imp.getStackIndex(c, z + 1, t));
			for (int k = 0; k < colours; k++)
				System.arraycopy(plane.data(), k * planeSize, volume.data(), Math.multiplyExact(k * depth + z, planeSize), planeSize);
		}
		return volume;
	}

	/** How logs and results name that Z-stack: the file's name, with {@code #c2t3} (the parts there are several of) for a hyperstack. */
	public static String volumeName(String fileName, ImagePlus imp, int c, int t) {
		if (imp.getNChannels() == 1 && imp.getNFrames() == 1) return fileName;
		return fileName + "#" + (imp.getNChannels() > 1 ? "c" + c : "") + (imp.getNFrames() > 1 ? "t" + t : "");
	}

	/**
	 * An ImageJ plane as a {@link PlaneView} on its own pixel array: 1 channel for 8/16/32-bit, 3 (R, G, B) for
	 * RGB. Writes round and clip to the processor's range (0..255, 0..65535); float pixels are kept as they are.
	 */
	public static PlaneView view(ImageProcessor ip) {
		int w = ip.getWidth(), h = ip.getHeight();
		if (ip instanceof ByteProcessor) {
			byte[] p = (byte[]) ip.getPixels();
			return new Plane(1, h, w) {
				@Override public void read(int c, int y, int x, int n, float[] dst, int off) {
					for (int i = 0, at = y * w + x; i < n; i++) dst[off + i] = p[at + i] & 0xff;
				}
				@Override public void write(int c, int y, int x, int n, float[] src, int off) {
					for (int i = 0, at = y * w + x; i < n; i++) p[at + i] = (byte) clip(src[off + i], 255);
				}
			};
		}
		if (ip instanceof ShortProcessor) {
			short[] p = (short[]) ip.getPixels();
			return new Plane(1, h, w) {
				@Override public void read(int c, int y, int x, int n, float[] dst, int off) {
					for (int i = 0, at = y * w + x; i < n; i++) dst[off + i] = p[at + i] & 0xffff;
				}
				@Override public void write(int c, int y, int x, int n, float[] src, int off) {
					for (int i = 0, at = y * w + x; i < n; i++) p[at + i] = (short) clip(src[off + i], 65535);
				}
			};
		}
		if (ip instanceof FloatProcessor) {
			float[] p = (float[]) ip.getPixels();
			return new Plane(1, h, w) {
				@Override public void read(int c, int y, int x, int n, float[] dst, int off) { System.arraycopy(p, y * w + x, dst, off, n); }
				@Override public void write(int c, int y, int x, int n, float[] src, int off) { System.arraycopy(src, off, p, y * w + x, n); }
				@Override public long countNonFinite() { return countNonFiniteRows(); }
			};
		}
		if (ip instanceof ColorProcessor) {
			int[] p = (int[]) ip.getPixels();
			return new Plane(3, h, w) {
				@Override public void read(int c, int y, int x, int n, float[] dst, int off) {
					int shift = 16 - 8 * c;
					for (int i = 0, at = y * w + x; i < n; i++) dst[off + i] = p[at + i] >> shift & 0xff;
				}
				@Override public void write(int c, int y, int x, int n, float[] src, int off) {
					int shift = 16 - 8 * c, keep = ~(0xff << shift);
					for (int i = 0, at = y * w + x; i < n; i++) p[at + i] = p[at + i] & keep | 0xff000000 | clip(src[off + i], 255) << shift;
				}
			};
		}
		throw new IllegalArgumentException("Unsupported ImageJ image type: " + ip.getClass().getSimpleName());
	}

	/** The dimensions every view has; subclasses move the pixels. */
	private abstract static class Plane implements PlaneView {
		private final int channels, height, width;

		Plane(int channels, int height, int width) {
			this.channels = channels;
			this.height = height;
			this.width = width;
		}

		@Override public int channels() { return channels; }
		@Override public int height() { return height; }
		@Override public int width() { return width; }

		/** Integer pixels are always finite: no need to read them all (the float view scans its rows). */
		@Override public long countNonFinite() { return 0; }

		long countNonFiniteRows() { return PlaneView.super.countNonFinite(); }
	}

	/** Rounded and clipped to 0..max, as {@link #toBitDepth} converts. */
	private static int clip(float v, int max) {
		return Math.max(0, Math.min(max, Math.round(v)));
	}

	/** A float plane as a 32-bit processor (one channel) or, for {@code rgb}, an RGB processor clipped to 0..255. */
	public static ImageProcessor toProcessor(FloatImage image, boolean rgb) {
		int w = image.width(), h = image.height();
		if (rgb) {
			if (image.channels() != 3)
				throw new IllegalArgumentException("An RGB plane needs 3 channels, got " + image.channels());
			int[] argb = new int[w * h];
			float[] d = image.data();
			int n = w * h;
			for (int i = 0; i < n; i++)
				argb[i] = 0xff000000 | clip(d[i], 255) << 16 | clip(d[n + i], 255) << 8 | clip(d[2 * n + i], 255);
			return new ColorProcessor(w, h, argb);
		}
		if (image.channels() != 1)
			throw new IllegalArgumentException("A grey plane needs 1 channel, got " + image.channels());
		return new FloatProcessor(w, h, image.data().clone());
	}

	/**
	 * A 32-bit result converted to 8 or 16 bits for formats without float pixels: values are rounded and
	 * clipped to the type's range, not rescaled, so intensities keep their meaning.
	 */
	public static ImagePlus toBitDepth(ImagePlus floatImage, int bitDepth) {
		if (floatImage.getBitDepth() != 32) return floatImage;
		if (bitDepth != 8 && bitDepth != 16) return floatImage;
		ij.ImageStack in = floatImage.getStack();
		ij.ImageStack out = new ij.ImageStack(in.getWidth(), in.getHeight());
		int max = bitDepth == 8 ? 255 : 65535;
		for (int i = 1; i <= in.getSize(); i++) {
			float[] f = (float[]) in.getPixels(i);
			ImageProcessor ip = bitDepth == 8 ? new ByteProcessor(in.getWidth(), in.getHeight()) : new ShortProcessor(in.getWidth(), in.getHeight());
			for (int j = 0; j < f.length; j++) ip.set(j, clip(f[j], max));
			out.addSlice(in.getSliceLabel(i), ip);
		}
		ImagePlus result = new ImagePlus(floatImage.getTitle(), out);
		result.setDimensions(floatImage.getNChannels(), floatImage.getNSlices(), floatImage.getNFrames());
		result.setCalibration(floatImage.getCalibration());
		return result;
	}
}
