package io.github.imagify.command;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ImageProcessor;
import io.github.imagify.testing.TestImages;

/** Every kind of image a Fiji user has goes through "Imagify Denoise" and comes back with its shape, calibration and title. */
class ImageKindsTest {

	static Context context;
	static CommandService commands;

	@BeforeAll
	static void start() {
		context = new Context();
		commands = context.service(CommandService.class);
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	static ImageProcessor plane(int bitDepth, int seed) {
		return switch (bitDepth) {
			case 8 -> TestImages.blobs(64, 56, seed);
			case 16 -> { ImageProcessor ip = TestImages.blobs(64, 56, seed).convertToShortProcessor(false); ip.multiply(16); yield ip; }
			case 32 -> { ImageProcessor ip = TestImages.blobs(64, 56, seed).convertToFloatProcessor(); ip.multiply(0.01); yield ip; }
			case 24 -> TestImages.rgb(64, 56, seed);
			default -> throw new IllegalArgumentException();
		};
	}

	static ImagePlus image(int bitDepth, int c, int z, int t) {
		ImageStack stack = new ImageStack(64, 56);
		for (int i = 0; i < c * z * t; i++) stack.addSlice("plane " + i, plane(bitDepth, i));
		ImagePlus imp = new ImagePlus("kind.tif", stack);
		imp.setDimensions(c, z, t);
		if (c * z * t > 1 && (c > 1 ? 1 : 0) + (z > 1 ? 1 : 0) + (t > 1 ? 1 : 0) > 1) imp.setOpenAsHyperStack(true);
		Calibration cal = new Calibration();
		cal.pixelWidth = cal.pixelHeight = 0.5;
		cal.pixelDepth = 2;
		cal.frameInterval = 3;
		cal.setUnit("um");
		imp.setCalibration(cal);
		return imp;
	}

	ImagePlus denoise(ImagePlus imp, String outputType) throws Exception {
		CommandModule m = commands.run(DenoiseCommand.class, true, Map.of("image", imp, "output_type", outputType)).get();
		assertFalse(m.isCanceled(), m.getCancelReason());
		return (ImagePlus) m.getOutput("restored");
	}

	@Test
	void everyBitDepthAndEveryHyperstackLayout() throws Exception {
		int[][] layouts = { { 1, 1, 1 }, { 1, 3, 1 }, { 1, 1, 3 }, { 2, 1, 1 }, { 2, 2, 2 } };
		for (int bitDepth : new int[] { 8, 16, 32, 24 })
			for (int[] czt : layouts) {
				ImagePlus in = image(bitDepth, czt[0], czt[1], czt[2]);
				Object before = in.getStack().getPixels(in.getStackSize());
				Object copy = before instanceof byte[] b ? b.clone() : before instanceof short[] s ? s.clone() : before instanceof float[] f ? f.clone() : ((int[]) before).clone();
				String what = bitDepth + "-bit, CZT " + czt[0] + "x" + czt[1] + "x" + czt[2];
				for (String type : new String[] { "float", "input" }) {
					ImagePlus out = denoise(in, type);
					int expectedDepth = bitDepth == 24 ? 24 : type.equals("float") ? 32 : bitDepth;
					assertEquals(expectedDepth, out.getBitDepth(), what + " " + type);
					assertArrayEquals(in.getDimensions(), out.getDimensions(), what);
					assertEquals(in.isHyperStack(), out.isHyperStack(), what);
					assertEquals("kind-restored.tif", out.getTitle());
					assertEquals(0.5, out.getCalibration().pixelWidth, what);
					assertEquals(2, out.getCalibration().pixelDepth, what);
					assertEquals(3, out.getCalibration().frameInterval, what);
					assertEquals(in.getCalibration().getUnit(), out.getCalibration().getUnit());
					// restored, yet in the input's units: the mean of each plane stays close
					for (int i = 1; i <= in.getStackSize(); i += Math.max(1, in.getStackSize() - 1)) {
						double a = in.getStack().getProcessor(i).getStatistics().mean, b = out.getStack().getProcessor(i).getStatistics().mean;
						assertEquals(a, b, Math.max(2, Math.abs(a) * 0.05), what + " plane " + i);
					}
				}
				Object after = in.getStack().getPixels(in.getStackSize());
				assertTrue(java.util.Objects.deepEquals(new Object[] { copy }, new Object[] { after }), what + ": input untouched");
			}
	}
}
