package io.github.imagify.io;

import java.io.StringReader;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;

/**
 * The dimensions and voxel size an OME-TIFF's XML gives its planes. ImageJ 1 reads an OME-TIFF as a flat
 * stack in the file's plane order (e.g. XYZCT: Z fastest); Bio-Formats would show it as a hyperstack in
 * ImageJ's order (C fastest, then Z, then T) with its physical sizes, and so does this.
 */
final class OmeXml {

	private OmeXml() {}

	/** Reorders the image's planes and sets its calibration; an unreadable or mismatching XML leaves the image as read. */
	static ImagePlus apply(String xml, ImagePlus imp) {
		Element pixels = pixels(xml);
		if (pixels == null) return imp;
		int z = size(pixels, "SizeZ"), c = size(pixels, "SizeC"), t = size(pixels, "SizeT");
		String order = pixels.getAttribute("DimensionOrder");
		if (imp.getNChannels() == 1 && imp.getBitDepth() != 24 && z * c * t == imp.getStackSize() && z * c * t > 1 && order.matches("XY[ZCT]{3}")
				&& order.chars().distinct().count() == 5) {
			imp = reorder(imp, order.substring(2), z, c, t);
		}
		Calibration cal = imp.getCalibration();
		double x = physical(pixels, "PhysicalSizeX"), y = physical(pixels, "PhysicalSizeY"), depth = physical(pixels, "PhysicalSizeZ");
		if (x > 0) cal.pixelWidth = x;
		if (y > 0) cal.pixelHeight = y;
		if (depth > 0) cal.pixelDepth = depth;
		if (x > 0 || y > 0 || depth > 0) {
			String unit = pixels.getAttribute("PhysicalSizeXUnit");
			cal.setUnit(unit.isEmpty() ? "µm" : unit); // OME's default unit is the micrometre
		}
		return imp;
	}

	/** Planes from the file's order (the first of {@code zct} varies fastest) into ImageJ's C, Z, T order. */
	private static ImagePlus reorder(ImagePlus imp, String zct, int z, int c, int t) {
		ImageStack in = imp.getStack(), out = new ImageStack(in.getWidth(), in.getHeight());
		int[] size = { z, c, t };
		for (int ti = 0; ti < t; ti++)
			for (int zi = 0; zi < z; zi++)
				for (int ci = 0; ci < c; ci++) {
					int[] at = { zi, ci, ti };
					int index = 0, stride = 1;
					for (char d : zct.toCharArray()) {
						int k = "ZCT".indexOf(d);
						index += at[k] * stride;
						stride *= size[k];
					}
					out.addSlice(in.getSliceLabel(index + 1), in.getProcessor(index + 1));
				}
		imp.setStack(out, c, z, t);
		imp.setOpenAsHyperStack(true);
		return c > 1 && !imp.isComposite() ? new CompositeImage(imp, CompositeImage.COMPOSITE) : imp;
	}

	private static Element pixels(String xml) {
		try {
			DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
			f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
			f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true); // no entities from outside the file
			f.setNamespaceAware(false);
			NodeList list = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getElementsByTagName("Pixels");
			return list.getLength() == 0 ? null : (Element) list.item(0);
		} catch (Exception e) {
			return null; // not OME after all: the planes stay as the reader gave them
		}
	}

	private static int size(Element e, String name) {
		try {
			return Math.max(1, Integer.parseInt(e.getAttribute(name)));
		} catch (NumberFormatException x) {
			return 1;
		}
	}

	private static double physical(Element e, String name) {
		try {
			double v = Double.parseDouble(e.getAttribute(name));
			return Double.isFinite(v) && v > 0 ? v : 0;
		} catch (NumberFormatException x) {
			return 0;
		}
	}
}
