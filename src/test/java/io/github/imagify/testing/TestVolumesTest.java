package io.github.imagify.testing;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import io.github.imagify.image.FloatVolume;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.metrics.Metrics;

class TestVolumesTest {

	@TempDir
	Path dir;

	static final TestVolumes.Spec SMALL = TestVolumes.Spec.of(3).withSize(16, 64, 64);

	@Test
	void theSameSeedsGiveTheSameVolumes() {
		TestVolumes.Volumes a = TestVolumes.filamentsAndBlobs(SMALL), b = TestVolumes.filamentsAndBlobs(SMALL);
		assertEquals(a.clean(), b.clean());
		assertEquals(a.noisy(), b.noisy());
		TestVolumes.Volumes otherNoise = TestVolumes.filamentsAndBlobs(SMALL.withNoiseSeed(99));
		assertEquals(a.clean(), otherNoise.clean(), "the same scene");
		assertNotEquals(a.noisy(), otherNoise.noisy(), "another acquisition");
		assertNotEquals(a.clean(), TestVolumes.filamentsAndBlobs(TestVolumes.Spec.of(4).withSize(16, 64, 64)).clean());
	}

	@Test
	void noiseFollowsThePeakAndStructuresCrossPlanes() {
		TestVolumes.Volumes v30 = TestVolumes.filamentsAndBlobs(SMALL), v300 = TestVolumes.filamentsAndBlobs(SMALL.withPeak(300));
		double psnr30 = psnr(v30), psnr300 = psnr(v300);
		// shot noise: 10x the photons, sqrt(10) less relative noise, 10 dB
		assertTrue(psnr30 > 15 && psnr30 < 35, "PSNR at peak 30: " + psnr30);
		assertEquals(10, psnr300 - psnr30, 1.5, "peak 300 vs 30: " + psnr300 + " vs " + psnr30);
		for (float f : v30.noisy().data()) assertEquals(Math.rint(f), f, 0, "photon counts are whole");
		// something bright in most planes, and the planes differ: the scene is 3D, not one plane repeated
		FloatVolume c = v30.clean();
		int bright = 0;
		for (int z = 0; z < c.depth(); z++) {
			float max = 0;
			for (int p = 0; p < c.planeSize(); p++) max = Math.max(max, c.data()[z * c.planeSize() + p]);
			if (max > 0.3 * 30) bright++;
		}
		assertTrue(bright >= 12, bright + " of 16 planes hold a structure");
		assertNotEquals(java.util.Arrays.copyOfRange(c.data(), 0, c.planeSize())[2000], java.util.Arrays.copyOfRange(c.data(), 8 * c.planeSize(), 9 * c.planeSize())[2000]);
	}

	@Test
	void writesCalibratedStacksThatReadBackTheSame() throws IOException {
		TestVolumes.Volumes v = TestVolumes.filamentsAndBlobs(SMALL);
		ImagePlus noisy = ImageFiles.read(TestVolumes.write(v.noisy(), dir.resolve("n.tif"), 16));
		ImagePlus clean = ImageFiles.read(TestVolumes.write(v.clean(), dir.resolve("c.tif"), 32));
		assertEquals(16, noisy.getBitDepth());
		assertEquals(32, clean.getBitDepth());
		assertEquals(16, noisy.getNSlices());
		assertEquals(0.1, noisy.getCalibration().pixelWidth, 1e-9);
		assertEquals(0.3, noisy.getCalibration().pixelDepth, 1e-9);
		assertEquals(v.noisy().get(0, 5, 20, 30), noisy.getStack().getProcessor(6).getf(30, 20), 0);
		assertEquals(v.clean().get(0, 9, 40, 3), clean.getStack().getProcessor(10).getf(3, 40), 0);
	}

	/** PSNR of the noisy volume against the clean one, over the clean volume's range. */
	private static double psnr(TestVolumes.Volumes v) {
		float max = 0;
		for (float f : v.clean().data()) max = Math.max(max, f);
		return Metrics.psnr(v.clean().asPlanes(), v.noisy().asPlanes(), max);
	}
}
