package io.github.imagify.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import io.github.imagify.testing.Fuzz;

/**
 * TIFFs as other programs write them (libtiff's tiffcp and tiffcrop, python3-tifffile, ImageMagick; made by
 * {@code src/test/resources/tiff-corpus/make-corpus.sh}, which records in {@code expected.tsv} what each holds
 * as tifffile reads it): every one opens with its size, dimensions, bit depth and pixel mean; every truncated
 * or header-damaged copy is refused with one line. Before TwelveMonkeys read the directories, five of the
 * eight libtiff RGB copies were called damaged and tiled and BigTIFF files could not be opened.
 */
class TiffCorpusTest {

	@TempDir
	Path dir;

	record Expected(String file, int width, int height, int channels, int slices, int frames, int bitDepth, double mean, boolean lossy) {}

	static Path corpus() throws URISyntaxException {
		return Path.of(TiffCorpusTest.class.getResource("/tiff-corpus/expected.tsv").toURI()).getParent();
	}

	static List<Expected> expected() throws IOException, URISyntaxException {
		List<Expected> all = new ArrayList<>();
		List<String> lines = Files.readAllLines(corpus().resolve("expected.tsv"));
		for (String line : lines.subList(1, lines.size())) {
			String[] f = line.split("\t");
			all.add(new Expected(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
					Integer.parseInt(f[5]), Integer.parseInt(f[6]), Double.parseDouble(f[7]), Boolean.parseBoolean(f[8])));
		}
		return all;
	}

	@Test
	void everyFileOpensAsTifffileReadsIt() throws Exception {
		List<Expected> all = expected();
		assertTrue(all.size() >= 30, "the corpus is there: " + all.size());
		List<String> wrong = new ArrayList<>();
		for (Expected e : all) {
			Path p = corpus().resolve(e.file);
			byte[] before = Files.readAllBytes(p);
			ImagePlus imp;
			try {
				imp = ImageFiles.read(p);
			} catch (IOException x) {
				wrong.add(e.file + ": refused: " + x.getMessage());
				continue;
			}
			String got = imp.getWidth() + "x" + imp.getHeight() + " c" + imp.getNChannels() + " z" + imp.getNSlices() + " t" + imp.getNFrames()
					+ " " + imp.getBitDepth() + "-bit", want = e.width + "x" + e.height + " c" + e.channels + " z" + e.slices + " t" + e.frames + " "
							+ e.bitDepth + "-bit";
			double mean = mean(imp);
			if (!got.equals(want)) wrong.add(e.file + ": " + got + ", expected " + want);
			else if (Math.abs(mean - e.mean) > (e.lossy ? 2.0 : 1e-4 * Math.max(1, Math.abs(e.mean))))
				wrong.add(e.file + ": pixel mean " + mean + ", expected " + e.mean);
			assertArrayEquals(before, Files.readAllBytes(p), "reading leaves the file as it was");
		}
		assertTrue(wrong.isEmpty(), String.join("\n", wrong));
	}

	@Test
	void omeTiffDimensionOrderAndVoxelSize() throws Exception {
		ImagePlus imp = ImageFiles.read(corpus().resolve("tifffile_ome.ome.tif"));
		assertEquals(0.2, imp.getCalibration().pixelWidth, 1e-9);
		assertEquals(1.0, imp.getCalibration().pixelDepth, 1e-9);
		assertEquals("µm", imp.getCalibration().getUnit());
		// written as C, Z planes of grey16 // (1 + z + 2c): ImageJ order puts channel 2 of slice 3 at (c=2, z=3)
		ImagePlus grey = ImageFiles.read(corpus().resolve("tifffile_grey16_bigtiff.tif"));
		for (int c = 0; c < 2; c++)
			for (int z = 0; z < 3; z++) {
				int index = imp.getStackIndex(c + 1, z + 1, 1);
				int expected = grey.getProcessor().get(7, 5) / (1 + z + 2 * c);
				assertEquals(expected, imp.getStack().getProcessor(index).get(7, 5), "c" + c + " z" + z);
			}
		ImagePlus hyper = ImageFiles.read(corpus().resolve("tifffile_imagej_hyperstack.tif"));
		assertEquals(0.25, hyper.getCalibration().pixelWidth, 1e-9);
		assertEquals(1.5, hyper.getCalibration().pixelDepth, 1e-9);
	}

	@Test
	void truncatedOrDamagedCopiesAreRefusedWithOneLine() throws Exception {
		List<String> accepted = new ArrayList<>();
		try (Fuzz fuzz = new Fuzz()) {
			for (Expected e : expected()) {
				byte[] b = Files.readAllBytes(corpus().resolve(e.file));
				List<byte[]> bad = new ArrayList<>();
				bad.add(Arrays.copyOf(b, b.length / 2));
				bad.add(Arrays.copyOf(b, b.length * 3 / 4));
				bad.add(firstDirectoryPastTheEnd(b));
				for (int k = 0; k < bad.size(); k++) {
					Path p = dir.resolve(k + "-" + e.file);
					Files.write(p, bad.get(k));
					ImagePlus imp = fuzz.run(p.toString(), () -> ImageFiles.read(p)); // fails the test unless success or one clean line
					if (imp != null) accepted.add(p.getFileName().toString());
				}
			}
		}
		assertTrue(accepted.isEmpty(), "damaged copies opened as images: " + accepted);
	}

	/** The header's pointer to the first directory set beyond the end of the file. */
	static byte[] firstDirectoryPastTheEnd(byte[] tiff) {
		byte[] b = tiff.clone();
		ByteBuffer buf = ByteBuffer.wrap(b).order(b[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
		if (buf.getShort(2) == 43) buf.putLong(8, b.length + 1000L);
		else buf.putInt(4, b.length + 1000);
		return b;
	}

	/** Mean of every sample of every plane (the three components of an RGB pixel each count). */
	static double mean(ImagePlus imp) {
		ImageStack s = imp.getStack();
		double sum = 0;
		long n = 0;
		for (int i = 1; i <= s.getSize(); i++) {
			if (s.getProcessor(i) instanceof ColorProcessor cp) {
				for (int px : (int[]) cp.getPixels()) {
					sum += (px >> 16 & 0xff) + (px >> 8 & 0xff) + (px & 0xff);
					n += 3;
				}
			} else {
				float[] f = (float[]) s.getProcessor(i).convertToFloat().getPixels();
				for (float v : f) sum += v;
				n += f.length;
			}
		}
		return sum / n;
	}
}
