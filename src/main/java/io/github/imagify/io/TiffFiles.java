package io.github.imagify.io;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;

import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.Opener;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

/**
 * Reads a TIFF as ImageJ with Bio-Formats would: ImageJ 1's own opener for the layouts it decodes (it keeps
 * ImageJ's hyperstack dimensions and calibration), TwelveMonkeys' TIFF reader for the rest (tiles, BigTIFF,
 * JPEG compression, floating-point predictors, signed and 32-bit integer samples), then the Z/C/T order and
 * voxel size that an OME-TIFF's XML gives.
 */
final class TiffFiles {

	/** Compressions ImageJ 1 decodes from strips: none, LZW, deflate (two codes), PackBits. */
	private static final Set<Integer> IMAGEJ_COMPRESSIONS = Set.of(1, 5, 8, 32946, 32773);

	private TiffFiles() {}

	static ImagePlus read(Path path) throws IOException {
		TiffDirectories tiff = TiffDirectories.read(path);
		ImagePlus imp = imageJReads(tiff) ? imageJ(path, tiff) : null;
		if (imp == null) imp = twelveMonkeys(path, tiff);
		String description = tiff.pages.get(0).description();
		if (description != null && description.contains("<OME")) imp = OmeXml.apply(description, imp);
		return imp;
	}

	/** Layouts ImageJ 1's TIFF decoder reads correctly (it ignores what it does not know, so the rest must not reach it). */
	private static boolean imageJReads(TiffDirectories tiff) {
		TiffDirectories.Page p = tiff.pages.get(0);
		boolean integer = p.sampleFormat() == 1 && (p.bits() == 8 || p.bits() == 16), floats = p.sampleFormat() == 3 && p.bits() == 32;
		boolean layout = p.samples() == 1 ? integer || floats : p.samples() == 3 && integer && p.planar() == 1 || p.samples() == 3 && p.bits() == 8;
		return !tiff.bigTiff && !p.tiled() && IMAGEJ_COMPRESSIONS.contains(p.compression()) && (p.predictor() == 1 || p.predictor() == 2 && integer) && layout;
	}

	/** ImageJ's opener, or null when it gives no image of the declared size (the other reader then tries). */
	private static ImagePlus imageJ(Path path, TiffDirectories tiff) {
		ImagePlus imp;
		try {
			imp = new Opener().openImage(path.toAbsolutePath().toString());
		} catch (RuntimeException e) {
			return null;
		}
		TiffDirectories.Page p = tiff.pages.get(0);
		if (imp == null || imp.getWidth() != p.width() || imp.getHeight() != p.height() || imp.getStack().getPixels(1) == null) return null;
		return imp;
	}

	/** Every page of the image's shape through TwelveMonkeys: a plane each, and a channel per sample beyond RGB. */
	private static ImagePlus twelveMonkeys(Path path, TiffDirectories tiff) throws IOException {
		List<Integer> pages = tiff.imagePages();
		TiffDirectories.Page first = tiff.pages.get(0);
		ImageStack stack = new ImageStack((int) first.width(), (int) first.height());
		int channels = 1;
		ImageReader reader = new TIFFImageReaderSpi().createReaderInstance();
		try (FileImageInputStream in = new FileImageInputStream(path.toFile())) {
			reader.setInput(in);
			for (int page : pages) {
				List<ImageProcessor> planes = colour(tiff.pages.get(page)) ? colour(reader.read(page)) : samples(reader.readRaster(page, null));
				channels = planes.size();
				for (ImageProcessor ip : planes) stack.addSlice(ip);
			}
		} catch (IOException | RuntimeException e) {
			throw ImageHeaders.damaged(path, "its pixels cannot be decoded (" + TiffDirectories.oneLine(e) + ")");
		} finally {
			reader.dispose();
		}
		ImagePlus imp = new ImagePlus(path.getFileName().toString(), stack);
		if (channels > 1) {
			imp.setDimensions(channels, pages.size(), 1);
			imp = new CompositeImage(imp, CompositeImage.COMPOSITE);
		}
		return imp;
	}

	/** 8-bit colour and palettes need the reader's colour conversion (YCbCr JPEG, indexed colours); data does not. */
	private static boolean colour(TiffDirectories.Page p) {
		return p.photometric() == 3 || p.samples() >= 3 && p.bits() == 8;
	}

	/** One RGB plane, or a palette image as 8-bit with its colour table. */
	private static List<ImageProcessor> colour(BufferedImage image) {
		Raster r = image.getRaster();
		int w = r.getWidth(), h = r.getHeight();
		if (image.getColorModel() instanceof IndexColorModel icm && r.getNumBands() == 1 && r.getSampleModel().getSampleSize(0) == 8)
			return List.of(new ByteProcessor(w, h, bytes(r, 0), icm));
		return List.of(new ColorProcessor(w, h, image.getRGB(0, 0, w, h, null, 0, w)));
	}

	/**
	 * One plane per sample, as stored: 8/16-bit unsigned kept, everything else as float. The raster, not the
	 * image: TwelveMonkeys clamps a float image to 0..1 for display, its raster keeps the values.
	 */
	private static List<ImageProcessor> samples(Raster r) {
		int w = r.getWidth(), h = r.getHeight(), bands = r.getNumBands(), type = r.getDataBuffer().getDataType();
		ImageProcessor[] out = new ImageProcessor[bands];
		for (int b = 0; b < bands; b++) {
			int bits = r.getSampleModel().getSampleSize(b);
			if (type == DataBuffer.TYPE_BYTE && bits == 8) out[b] = new ByteProcessor(w, h, bytes(r, b));
			else if (type == DataBuffer.TYPE_BYTE) { // 1, 2 or 4 bits: scaled to 0..255 as ImageJ shows bilevel images
				int[] v = r.getSamples(0, 0, w, h, b, (int[]) null);
				byte[] px = new byte[v.length];
				int max = (1 << bits) - 1;
				for (int i = 0; i < v.length; i++) px[i] = (byte) (v[i] * 255 / max);
				out[b] = new ByteProcessor(w, h, px);
			} else if (type == DataBuffer.TYPE_USHORT) {
				int[] v = r.getSamples(0, 0, w, h, b, (int[]) null);
				short[] px = new short[v.length];
				for (int i = 0; i < v.length; i++) px[i] = (short) v[i];
				out[b] = new ShortProcessor(w, h, px, null);
			} else {
				out[b] = new FloatProcessor(w, h, r.getSamples(0, 0, w, h, b, (float[]) null));
			}
		}
		return List.of(out);
	}

	private static byte[] bytes(Raster r, int band) {
		int[] v = r.getSamples(0, 0, r.getWidth(), r.getHeight(), band, (int[]) null);
		byte[] px = new byte[v.length];
		for (int i = 0; i < v.length; i++) px[i] = (byte) v[i];
		return px;
	}
}
