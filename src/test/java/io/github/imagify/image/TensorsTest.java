package io.github.imagify.image;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import ij.ImagePlus;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import io.github.imagify.imagej.ImagePlusImages;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;

class TensorsTest {

	@Test
	void greyImageRoundTripsThroughTheTensor() {
		var img = ArrayImgs.unsignedShorts(new short[] { 1, 2, 3, 4, 5, 6 }, 3, 2); // X=3, Y=2
		FloatImage t = Tensors.fromImg(img);
		assertEquals(1, t.channels());
		assertEquals(2, t.height());
		assertEquals(3, t.width());
		assertEquals(6f, t.get(0, 1, 2));
		assertEquals(2f, t.get(0, 0, 1));
		var back = ArrayImgs.unsignedShorts(3, 2);
		Tensors.toImg(t, back);
		assertArrayEquals(img.update(null).getCurrentStorageArray(), back.update(null).getCurrentStorageArray());
	}

	@Test
	void multichannelImageUsesTheLastAxisAsChannels() {
		float[] xyc = new float[4 * 3 * 2];
		for (int i = 0; i < xyc.length; i++) xyc[i] = i;
		FloatImage t = Tensors.fromImg(ArrayImgs.floats(xyc, 4, 3, 2));
		assertEquals(2, t.channels());
		assertEquals(xyc[1 * 12 + 2 * 4 + 3], t.get(1, 2, 3));
		RandomAccessibleInterval<FloatType> view = Tensors.asImg(t, true);
		assertEquals(3, view.numDimensions());
		assertThrows(IllegalArgumentException.class, () -> Tensors.toImg(t, ArrayImgs.floats(4, 3)));
	}

	@Test
	void asImgSharesTheArray() {
		FloatImage t = new FloatImage(1, 2, 2);
		var img = Tensors.asImg(t, true);
		img.firstElement().set(7f);
		assertEquals(7f, t.data()[0]);
	}

	@Test
	void imagePlusPlanesAreWrappedWithoutCopying() {
		ByteProcessor bp = new ByteProcessor(3, 2);
		bp.set(2, 1, 200);
		RandomAccessibleInterval<?> wrapped = ImagePlusImages.wrap(bp);
		bp.set(0, 0, 17); // written after wrapping: a copy would not see it
		FloatImage t = Tensors.fromImg(ImagePlusImages.wrap(bp));
		assertEquals(200f, t.get(0, 1, 2));
		assertEquals(17f, t.get(0, 0, 0));
		assertEquals(2, wrapped.numDimensions());

		ShortProcessor sp = new ShortProcessor(2, 2);
		sp.set(1, 1, 60000); // unsigned
		assertEquals(60000f, Tensors.fromImg(ImagePlusImages.wrap(sp)).get(0, 1, 1));

		FloatProcessor fp = new FloatProcessor(2, 2);
		fp.setf(1, 0, -3.5f);
		assertEquals(-3.5f, Tensors.fromImg(ImagePlusImages.wrap(fp)).get(0, 0, 1));

		ColorProcessor cp = new ColorProcessor(2, 1);
		cp.set(1, 0, 0x0a14c8); // R=10 G=20 B=200
		FloatImage rgb = ImagePlusImages.plane(new ImagePlus("rgb", cp), 1);
		assertEquals(3, rgb.channels());
		assertEquals(10f, rgb.get(0, 0, 1));
		assertEquals(20f, rgb.get(1, 0, 1));
		assertEquals(200f, rgb.get(2, 0, 1));
	}

	@Test
	void rgbProcessorIsClippedAndRounded() {
		FloatImage img = new FloatImage(3, 1, 1, new float[] { -4f, 127.6f, 300f });
		int v = ((ColorProcessor) ImagePlusImages.toProcessor(img, true)).get(0, 0);
		assertEquals(0, v >> 16 & 0xff);
		assertEquals(128, v >> 8 & 0xff);
		assertEquals(255, v & 0xff);
	}

	@Test
	void bitDepthConversionClipsWithoutRescaling() {
		ImagePlus f = new ImagePlus("f", new FloatProcessor(3, 1, new float[] { -2f, 99.4f, 70000f }));
		ImagePlus s = ImagePlusImages.toBitDepth(f, 16);
		assertEquals(16, s.getBitDepth());
		assertEquals(0, s.getProcessor().get(0));
		assertEquals(99, s.getProcessor().get(1));
		assertEquals(65535, s.getProcessor().get(2));
		assertEquals(255, ImagePlusImages.toBitDepth(f, 8).getProcessor().get(2));
	}

	@Test
	void unsignedShortTypeIsReadUnsigned() {
		var img = ArrayImgs.unsignedShorts(new short[] { (short) 65535 }, 1, 1);
		assertEquals(65535f, Tensors.fromImg(img).get(0, 0, 0));
		assertTrue(img.firstElement() instanceof UnsignedShortType);
	}
}
