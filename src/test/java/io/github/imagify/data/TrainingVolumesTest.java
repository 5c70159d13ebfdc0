package io.github.imagify.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.FloatProcessor;
import io.github.imagify.degrade.DegradationSpec;
import io.github.imagify.degrade.VolumeDegradation;
import io.github.imagify.degrade.VolumeDegradations;
import io.github.imagify.image.FloatVolume;
import io.github.imagify.image.Normalization;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.testing.TestImages;
import io.github.imagify.testing.TestVolumes;

class TrainingVolumesTest {

	@TempDir
	Path dir;

	static final VolumeDegradation NOISE = VolumeDegradations.of(DegradationSpec.of("gaussian_noise", "", "10", 0, 2), "");

	/** Four different scenes, 8 planes of 32 x 40 (height differs from width, so a swapped axis shows). */
	static FloatVolume[] scenes() {
		FloatVolume[] v = new FloatVolume[4];
		for (int i = 0; i < 4; i++) v[i] = TestVolumes.filamentsAndBlobs(TestVolumes.Spec.of(10 + i).withSize(8, 32, 40).withPeak(1000)).clean();
		return v;
	}

	@Test
	void aTwoChannelTwoTimePointHyperstackGivesFourVolumes() throws IOException {
		FloatVolume[] scenes = scenes();
		Path folder = Files.createDirectories(dir.resolve("stacks"));
		ImageFiles.write(TestVolumes.hyperstack("hs", 2, 16, scenes), folder.resolve("hs.tif"));
		List<TrainingVolume> volumes = TrainingVolumes.load(folder, null, NOISE, Normalization.DEFAULT, 1);
		assertEquals(List.of("hs.tif#c1t1", "hs.tif#c1t2", "hs.tif#c2t1", "hs.tif#c2t2"), volumes.stream().map(TrainingVolume::name).toList());
		int[] scene = { 0, 2, 1, 3 }; // hyperstack() takes volumes channel-fastest: c1t1, c2t1, c1t2, c2t2
		for (int i = 0; i < 4; i++) {
			FloatVolume v = volumes.get(i).clean();
			assertEquals("FloatVolume[1x8x32x40]", v.toString());
			FloatVolume expected = scenes[scene[i]];
			for (int k = 0; k < v.data().length; k += 97) assertEquals(Math.round(expected.data()[k]), v.data()[k], 0, "voxel " + k + " of " + volumes.get(i).name());
			assertEquals(new VoxelSize(0.1, 0.3, "micron"), volumes.get(i).voxelSize());
			// 16-bit: strengths are relative to the clean volume's own range, measured over all its planes
			assertEquals(Normalization.DEFAULT.measure(v.asPlanes()).scale(), volumes.get(i).dataRange(), 1e-9);
		}
	}

	@Test
	void calibrationSuggestsWhetherToPoolInZ() throws IOException {
		VoxelSize.PoolZSuggestion deep = new VoxelSize(0.1, 0.5, "micron").suggestPoolZ();
		assertFalse(deep.poolZ());
		assertEquals("voxel depth 0.5 um / pixel width 0.1 um = 5.0: no pooling in Z", deep.description());
		VoxelSize.PoolZSuggestion nearCubic = new VoxelSize(0.1, 0.15, "\u00b5m").suggestPoolZ();
		assertTrue(nearCubic.poolZ());
		assertEquals("voxel depth 0.15 um / pixel width 0.1 um = 1.5: pooling in Z", nearCubic.description());
		assertFalse(new VoxelSize(0.1, 0.2, "um").suggestPoolZ().poolZ(), "2x is already too anisotropic");
		VoxelSize.PoolZSuggestion unknown = new VoxelSize(1, 1, "pixel").suggestPoolZ();
		assertTrue(unknown.poolZ());
		assertTrue(unknown.description().startsWith("no voxel size in the file"), unknown.description());

		// from a real file: TestVolumes writes 0.1 um pixels and 0.3 um planes
		Path folder = Files.createDirectories(dir.resolve("stacks"));
		TestVolumes.write(scenes()[0], folder.resolve("a.tif"), 32);
		List<TrainingVolume> volumes = TrainingVolumes.load(folder, null, NOISE, Normalization.DEFAULT, 1);
		VoxelSize.PoolZSuggestion fromFile = TrainingVolumes.suggestPoolZ(volumes);
		assertFalse(fromFile.poolZ());
		assertEquals("voxel depth 0.3 um / pixel width 0.1 um = 3.0: no pooling in Z", fromFile.description());
		// beside a near-cubic stack, the anisotropic one decides
		TrainingVolume a = volumes.get(0);
		TrainingVolume cubic = new TrainingVolume("cubic.tif", a.clean(), null, a.dataRange(), a.range(), null, new VoxelSize(0.1, 0.1, "micron"));
		VoxelSize.PoolZSuggestion mixed = TrainingVolumes.suggestPoolZ(List.of(cubic, a));
		assertFalse(mixed.poolZ());
		assertTrue(mixed.description().contains("a.tif, the most anisotropic"), mixed.description());
	}

	@Test
	void floatStacksWithNegativeValuesAreNormalisedOverTheWholeVolume() throws IOException {
		Path folder = Files.createDirectories(dir.resolve("noisy"));
		ImageStack stack = new ImageStack(32, 32);
		for (int z = 0; z < 6; z++) {
			FloatProcessor fp = TestImages.blobs(32, 32, z).convertToFloatProcessor();
			fp.add(-300 + 40 * z); // each plane its own offset: one plane's percentiles are not the volume's
			stack.addSlice(fp);
		}
		ImageFiles.write(new ImagePlus("neg", stack), folder.resolve("neg.tif"));
		List<TrainingVolume> volumes = TrainingVolumes.loadNoisy(folder, null, null, Normalization.DEFAULT);
		assertEquals(1, volumes.size());
		TrainingVolume v = volumes.get(0);
		assertSame(v.clean(), v.degraded(), "noise2void: the noisy volume is its own target");
		assertEquals(6, v.depth());
		Normalization.Range whole = Normalization.DEFAULT.measure(v.degraded().asPlanes());
		assertEquals(whole, v.range());
		assertTrue(v.range().low() < -200, "the negative values are kept: " + v.range());
		Normalization.Range firstPlane = Normalization.DEFAULT.measure(new FloatVolume(1, 1, 32, 32, java.util.Arrays.copyOf(v.degraded().data(), 32 * 32)).asPlanes());
		assertNotEquals(firstPlane.high(), v.range().high(), 1);
	}

	@Test
	void singlePlanesAndStacksThinnerThanAPatchAreRefusedWithWhatToDo() throws IOException {
		Path planes = TestImages.folder(dir, "planes", 1, 32, 1);
		IOException single = assertThrows(IOException.class, () -> TrainingVolumes.load(planes, null, NOISE, Normalization.DEFAULT, 1));
		assertTrue(single.getMessage().contains("img0.png has a single Z plane") && single.getMessage().contains("give Z-stacks"), single.getMessage());

		Path series = Files.createDirectories(dir.resolve("series")); // 8 time points of one plane each
		ImagePlus timeLapse = TestVolumes.hyperstack("t", 1, 32, scenes()[0]);
		timeLapse.setDimensions(1, 1, 8);
		ImageFiles.write(timeLapse, series.resolve("t.tif"));
		IOException lapse = assertThrows(IOException.class, () -> TrainingVolumes.loadNoisy(series, null, null, Normalization.DEFAULT));
		assertTrue(lapse.getMessage().contains("single Z plane (40x32 pixels, 1 Z plane(s), 1 channel(s), 8 time point(s))"), lapse.getMessage());

		Path thin = Files.createDirectories(dir.resolve("thin"));
		TestVolumes.write(scenes()[0], thin.resolve("thin.tif"), 32);
		List<TrainingVolume> volumes = TrainingVolumes.load(thin, null, NOISE, Normalization.DEFAULT, 1);
		IllegalArgumentException shallow = assertThrows(IllegalArgumentException.class,
				() -> new VolumePatchSampler(volumes, new VolumePatchSampler.PatchShape(16, 16), NOISE, 0.1, 1));
		assertEquals("thin.tif has 8 Z planes, fewer than patch_planes 16; use patch_planes <= 8 or leave out stacks with fewer than 16 planes", shallow.getMessage());
	}

	@Test
	void pairsNoise2NoiseAndReferencesMustMatchTheirStacks() throws IOException {
		FloatVolume[] scenes = scenes();
		Path clean = Files.createDirectories(dir.resolve("clean")), degraded = Files.createDirectories(dir.resolve("degraded"));
		TestVolumes.write(scenes[0], clean.resolve("a.tif"), 32);
		TestVolumes.write(scenes[1], degraded.resolve("a.tif"), 32);
		List<TrainingVolume> pairs = TrainingVolumes.load(clean, degraded, null, Normalization.DEFAULT, 1);
		assertEquals(scenes[1], pairs.get(0).degraded());
		assertEquals(Normalization.DEFAULT.measure(scenes[1].asPlanes()), pairs.get(0).range(), "measured on the degraded volume, as restoring measures its input");

		List<TrainingVolume> n2n = TrainingVolumes.loadNoisy(degraded, clean, clean, Normalization.DEFAULT);
		assertEquals(scenes[1], n2n.get(0).degraded());
		assertEquals(scenes[0], n2n.get(0).clean());
		assertEquals(scenes[0], n2n.get(0).reference());

		Path other = Files.createDirectories(dir.resolve("other"));
		ImageFiles.write(TestVolumes.hyperstack("a", 2, 32, scenes[0], scenes[1]), other.resolve("a.tif"));
		IOException e = assertThrows(IOException.class, () -> TrainingVolumes.load(clean, other, null, Normalization.DEFAULT, 1));
		assertTrue(e.getMessage().contains("differ in dimensions or type"), e.getMessage());
		Path sixteen = Files.createDirectories(dir.resolve("sixteen")); // a 16-bit acquisition beside its 32-bit truth pairs up
		TestVolumes.write(scenes[1], sixteen.resolve("a.tif"), 16);
		assertEquals(scenes[0].depth(), TrainingVolumes.load(clean, sixteen, null, Normalization.DEFAULT, 1).get(0).depth());
		IOException same = assertThrows(IOException.class, () -> TrainingVolumes.loadNoisy(clean, clean, null, Normalization.DEFAULT));
		assertTrue(same.getMessage().contains("is the same image as"), same.getMessage());
	}
}
