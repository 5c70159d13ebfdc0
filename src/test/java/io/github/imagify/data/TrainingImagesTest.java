package io.github.imagify.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import io.github.imagify.degrade.DegradationSpec;
import io.github.imagify.image.FloatImage;
import io.github.imagify.image.Normalization;
import io.github.imagify.imagej.ImagePlusImages;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.testing.TestImages;

/**
 * Training images from real files on disk: RGB images as the opponent planes a grey model restores them in; noisy
 * images for self-supervised training.
 */
class TrainingImagesTest {

	@TempDir
	Path dir;

	@Test
	void rgbImagesBecomeTheirThreeOpponentPlanesWithOneSharedRange() throws Exception {
		Path folder = Files.createDirectories(dir.resolve("rgb"));
		ImageFiles.write(new ImagePlus("a", TestImages.rgb(40, 30, 1)), folder.resolve("a.png"));
		ImageFiles.write(new ImagePlus("b", TestImages.rgb(36, 44, 2)), folder.resolve("b.png"));
		var noise = DegradationSpec.of("gaussian_noise", "", "25", 0, 2).toDegradation();
		List<TrainingImage> planes = TrainingImages.loadOpponentPlanes(folder, noise, Normalization.DEFAULT, 3);

		assertEquals(List.of("a.png:luminance", "a.png:red-blue", "a.png:green-magenta", "b.png:luminance", "b.png:red-blue",
				"b.png:green-magenta"), planes.stream().map(TrainingImage::name).toList());
		FloatImage rgb = ImagePlusImages.plane(ImageFiles.read(folder.resolve("a.png")), 1);
		float[] d = rgb.data();
		int n = rgb.planeSize();
		for (int i = 0; i < n; i += 37) { // the orthonormal rotation, pixel by pixel
			double r = d[i], g = d[n + i], b = d[2 * n + i];
			assertEquals((r + g + b) / Math.sqrt(3), planes.get(0).clean().data()[i], 1e-3);
			assertEquals((r - b) / Math.sqrt(2), planes.get(1).clean().data()[i], 1e-3);
			assertEquals((r - 2 * g + b) / Math.sqrt(6), planes.get(2).clean().data()[i], 1e-3);
		}
		for (TrainingImage plane : planes) {
			assertEquals(1, plane.clean().channels());
			assertNull(plane.degraded(), "degraded afresh per patch, as in synthetic training");
			assertEquals(255, plane.dataRange(), "noise sigmas stay on the 8-bit scale: the rotation keeps white noise's sigma");
		}
		// one range per image, over all three planes, so the colour differences keep their scale against the luminance
		assertEquals(planes.get(0).range(), planes.get(1).range());
		assertEquals(planes.get(0).range(), planes.get(2).range());
		assertNotEquals(planes.get(0).range(), planes.get(3).range());
		Normalization.Range own = Normalization.DEFAULT.measure(planes.get(1).clean());
		assertTrue(own.scale() < 0.8 * planes.get(1).range().scale(), own + " vs " + planes.get(1).range());
		// seeded: the same folder and seed give the same ranges
		assertEquals(planes.get(3).range(), TrainingImages.loadOpponentPlanes(folder, noise, Normalization.DEFAULT, 3).get(3).range());
		// with the luminance guide: the two colour differences, each with the luminance beside it, and the same ranges
		List<TrainingImage> guided = TrainingImages.loadOpponentPlanes(folder, noise, Normalization.DEFAULT, 3, true);
		assertEquals(List.of("a.png:red-blue", "a.png:green-magenta", "b.png:red-blue", "b.png:green-magenta"),
				guided.stream().map(TrainingImage::name).toList());
		assertEquals(planes.get(1).clean(), guided.get(0).clean());
		assertEquals(planes.get(0).clean(), guided.get(0).guide());
		assertEquals(planes.get(0).clean(), guided.get(1).guide());
		assertEquals(planes.get(0).range(), guided.get(1).range());
		assertNull(planes.get(0).guide());
	}

	/**
	 * Noisy images for self-supervised training: an RGB image's channels become grey planes of their own (a constant
	 * one left out), unless they train together; a 32-bit stack's planes keep their negative values and each is its own
	 * target, normalised with its own range; a clean reference goes with each plane.
	 */
	@Test
	void noisyImagesBecomePlanesThatAreTheirOwnTargets() throws Exception {
		Path folder = Files.createDirectories(dir.resolve("noisy"));
		ij.process.ColorProcessor rgb = TestImages.rgb(40, 30, 1);
		for (int i = 0; i < 40 * 30; i++) rgb.set(i, rgb.get(i) & 0xffff00); // no blue at all
		ImageFiles.write(new ImagePlus("a", rgb), folder.resolve("a.png"));
		List<TrainingImage> split = TrainingImages.loadNoisy(folder, null, null, Normalization.DEFAULT, false, true);
		assertEquals(List.of("a.png:red", "a.png:green"), split.stream().map(TrainingImage::name).toList(), "the empty blue channel is left out");
		FloatImage red = ImagePlusImages.plane(ImageFiles.read(folder.resolve("a.png")), 1);
		for (TrainingImage plane : split) {
			assertEquals(1, plane.clean().channels());
			assertSame(plane.clean(), plane.degraded(), "its own target");
			assertNull(plane.reference());
		}
		assertEquals(red.get(0, 7, 9), split.get(0).clean().get(0, 7, 9));
		List<TrainingImage> joint = TrainingImages.loadNoisy(folder, null, null, Normalization.DEFAULT, false, false);
		assertEquals(1, joint.size());
		assertEquals(3, joint.get(0).clean().channels());

		Path stacks = TestImages.floatStacks(dir, "stacks", 1, 3, 32, 5, -500, 10, 1);
		Path truth = TestImages.floatStacks(dir, "truth", 1, 3, 32, 5, -500, 0, 0);
		List<TrainingImage> planes = TrainingImages.loadNoisy(stacks, null, truth, Normalization.DEFAULT, false, true);
		assertEquals(List.of("img0.tif#1", "img0.tif#2", "img0.tif#3"), planes.stream().map(TrainingImage::name).toList());
		for (TrainingImage plane : planes) {
			assertTrue(plane.range().low() < -400, "negative values kept: " + plane.range());
			assertEquals(Normalization.DEFAULT.measure(plane.degraded()), plane.range());
			assertNotNull(plane.reference());
			assertTrue(plane.reference().get(0, 3, 3) < -300);
		}
		assertNotEquals(planes.get(0).range(), planes.get(1).range(), "each plane its own range");
	}

	@Test
	void opponentPlanesNeedRgbImagesAndALinearDegradation() throws Exception {
		Path grey = TestImages.folder(dir, "grey", 1, 32, 4);
		var noise = DegradationSpec.of("gaussian_noise", "", "25", 0, 2).toDegradation();
		var e = assertThrows(java.io.IOException.class, () -> TrainingImages.loadOpponentPlanes(grey, noise, Normalization.DEFAULT, 1));
		assertTrue(e.getMessage().contains("img0.png is not RGB") && e.getMessage().contains("as_grey=true"), e.getMessage());
		var poisson = assertThrows(IllegalArgumentException.class, () -> TrainingImages.checkOpponentDegradation(DegradationSpec.POISSON_NOISE));
		assertTrue(poisson.getMessage().contains("poisson_noise"), poisson.getMessage());
		for (String linear : List.of(DegradationSpec.GAUSSIAN_NOISE, DegradationSpec.GAUSSIAN_BLUR, DegradationSpec.DOWNSCALE))
			assertDoesNotThrow(() -> TrainingImages.checkOpponentDegradation(linear));
	}
}
