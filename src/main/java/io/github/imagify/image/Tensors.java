package io.github.imagify.image;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Conversions between ImgLib2 images and {@link FloatImage} tensors (one NCHW sample).
 * <p>
 * ImgLib2 images are indexed X, Y[, C]; a 2D image is one channel. The channel axis, when present,
 * is the last dimension (the layout of {@code Converters.argbChannels} and of Fiji's XYC images).
 */
public final class Tensors {

	private Tensors() {}

	/** Copies a 2D (XY) or 3D (XYC) real image into a new CHW float image. */
	public static FloatImage fromImg(RandomAccessibleInterval<? extends RealType<?>> img) {
		int nd = img.numDimensions();
		if (nd != 2 && nd != 3)
			throw new IllegalArgumentException("Expected a 2D (XY) or 3D (XYC) image, got " + nd + " dimensions");
		int w = Math.toIntExact(img.dimension(0));
		int h = Math.toIntExact(img.dimension(1));
		int c = nd == 3 ? Math.toIntExact(img.dimension(2)) : 1;
		FloatImage out = new FloatImage(c, h, w);
		// The target array in CHW order is exactly an XYC ArrayImg: wrap it instead of indexing by hand.
		RandomAccessibleInterval<FloatType> target = asImg(out, nd == 2);
		copyReal(Views.zeroMin(img), target);
		return out;
	}

	/**
	 * Wraps a float image as an ImgLib2 image without copying: XY for one channel when
	 * {@code dropSingleChannel}, XYC otherwise.
	 */
	public static ArrayImg<FloatType, FloatArray> asImg(FloatImage image, boolean dropSingleChannel) {
		if (dropSingleChannel && image.channels() == 1)
			return ArrayImgs.floats(image.data(), image.width(), image.height());
		return ArrayImgs.floats(image.data(), image.width(), image.height(), image.channels());
	}

	/** Writes a float image into an existing ImgLib2 image of the same size (values cast by the target type). */
	public static <T extends RealType<T>> void toImg(FloatImage source, RandomAccessibleInterval<T> target) {
		int nd = target.numDimensions();
		boolean sizesMatch = target.dimension(0) == source.width() && target.dimension(1) == source.height()
				&& (nd == 2 ? source.channels() == 1 : nd == 3 && target.dimension(2) == source.channels());
		if (!sizesMatch)
			throw new IllegalArgumentException("Target image " + java.util.Arrays.toString(target.dimensionsAsLongArray())
					+ " does not match " + source);
		copyReal(asImg(source, nd == 2), Views.zeroMin(target));
	}

	private static void copyReal(RandomAccessibleInterval<? extends RealType<?>> from, RandomAccessibleInterval<? extends RealType<?>> to) {
		LoopBuilder.setImages(from, to).forEachPixel((a, b) -> b.setReal(a.getRealDouble()));
	}

}
