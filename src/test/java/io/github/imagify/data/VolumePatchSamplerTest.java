package io.github.imagify.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import io.github.imagify.blindspot.BlindSpotMasker3D;
import io.github.imagify.blindspot.BlindSpotMasking;
import io.github.imagify.degrade.DegradationSpec;
import io.github.imagify.degrade.GaussianBlur3D;
import io.github.imagify.degrade.VolumeDegradation;
import io.github.imagify.degrade.VolumeDegradations;
import io.github.imagify.image.FloatVolume;
import io.github.imagify.image.Normalization;
import io.github.imagify.testing.TestVolumes;

class VolumePatchSamplerTest {

	@TempDir
	Path dir;

	static final VolumeDegradation NOISE = VolumeDegradations.of(DegradationSpec.of("gaussian_noise", "", "25", 0, 2), "");
	static final int D = 12, H = 40, W = 48;

	/** A noisy-only training folder of one 32-bit stack whose every voxel holds its own index (z * H + y) * W + x. */
	private List<TrainingVolume> indexVolume() throws IOException {
		float[] index = new float[D * H * W];
		for (int i = 0; i < index.length; i++) index[i] = i;
		Path folder = Files.createDirectories(dir.resolve("index"));
		TestVolumes.write(new FloatVolume(1, D, H, W, index), folder.resolve("index.tif"), 32);
		return TrainingVolumes.loadNoisy(folder, null, null, Normalization.DEFAULT);
	}

	/** The voxel indices a normalised patch of the index volume came from. */
	private static int[] indices(FloatVolume patch, Normalization.Range range) {
		int[] out = new int[patch.data().length];
		for (int i = 0; i < out.length; i++) out[i] = (int) Math.round(patch.data()[i] * range.scale() + range.low());
		return out;
	}

	@Test
	void trainingPatchesNeverOverlapTheValidationCellsIn3D() throws IOException {
		List<TrainingVolume> volumes = indexVolume();
		Normalization.Range range = volumes.get(0).range();
		// cells of 4 planes x 8 x 8: 3 layers x 5 rows x 6 columns = 90 cells, 9 for validation
		VolumePatchSampler sampler = new VolumePatchSampler(volumes, new VolumePatchSampler.PatchShape(8, 4), null, 0.1, 5);
		assertEquals(9, sampler.validation().size());
		assertEquals(81, sampler.trainingCells());
		Set<Integer> held = new HashSet<>();
		for (VolumePatchSampler.Pair v : sampler.validation()) for (int i : indices(v.target(), range)) held.add(i);
		assertEquals(9 * 4 * 8 * 8, held.size(), "validation cells are disjoint");
		Random rng = new Random(3);
		Set<Integer> seen = new HashSet<>();
		for (int n = 0; n < 400; n++)
			for (int i : indices(sampler.next(rng).target(), range)) {
				assertFalse(held.contains(i), "training patch " + n + " holds validation voxel " + i);
				seen.add(i);
			}
		// and training reaches across cell borders in every axis, right up to the held-out cells
		assertTrue(seen.size() > 0.7 * (D * H * W - held.size()), "training voxels seen: " + seen.size());
	}

	@Test
	void patchesAreTurnedInXYAndMirroredInZButZStaysZ() throws IOException {
		List<TrainingVolume> volumes = indexVolume();
		Normalization.Range range = volumes.get(0).range();
		VolumePatchSampler sampler = new VolumePatchSampler(volumes, new VolumePatchSampler.PatchShape(8, 4), null, 0.1, 5);
		Random rng = new Random(1);
		boolean up = false, down = false;
		Set<String> xyOrientations = new HashSet<>();
		for (int n = 0; n < 100; n++) {
			FloatVolume target = sampler.next(rng).target();
			int[] idx = indices(target, range);
			int plane = 8 * 8;
			for (int k = 0; k < 4; k++) {
				int z = idx[k * plane] / (H * W);
				for (int p = 0; p < plane; p++) {
					assertEquals(z, idx[k * plane + p] / (H * W), "one source plane per patch plane");
					assertEquals(idx[p] % (H * W), idx[k * plane + p] % (H * W), "every plane turned alike");
				}
			}
			int step = idx[plane] / (H * W) - idx[0] / (H * W);
			assertEquals(1, Math.abs(step));
			up |= step > 0;
			down |= step < 0;
			int dx = idx[1] - idx[0]; // the source step along the patch's x axis: +-1 (x) or +-W (y)
			xyOrientations.add(dx + "," + (idx[8] - idx[0]));
		}
		assertTrue(up && down, "mirrored in Z about half the time");
		assertEquals(8, xyOrientations.size(), "all eight XY symmetries: " + xyOrientations);
	}

	@Test
	void batchesAreNcdhwWithTheMaskOfTheLabelsShape() throws IOException {
		Path folder = Files.createDirectories(dir.resolve("clean"));
		for (int i = 0; i < 2; i++)
			TestVolumes.write(TestVolumes.filamentsAndBlobs(TestVolumes.Spec.of(i).withSize(12, 40, 40).withPeak(100)).clean(), folder.resolve("v" + i + ".tif"), 16);
		List<TrainingVolume> volumes = TrainingVolumes.load(folder, null, NOISE, Normalization.DEFAULT, 1);
		VolumePatchSampler sampler = new VolumePatchSampler(volumes, new VolumePatchSampler.PatchShape(16, 6), NOISE, 0.1, 7);
		VolumePatchDataSetIterator it = new VolumePatchDataSetIterator(sampler, 3, 2, 99, VolumePairPreparation.NONE);
		DataSet ds = it.next();
		assertArrayEquals(new long[] { 3, 1, 6, 16, 16 }, ds.getFeatures().shape());
		assertArrayEquals(new long[] { 3, 1, 6, 16, 16 }, ds.getLabels().shape());
		assertNull(ds.getLabelsMaskArray());
		assertEquals(ds.getFeatures(), new VolumePatchDataSetIterator(sampler, 3, 2, 99, VolumePairPreparation.NONE).next().getFeatures(), "same seed, same batch");
		it.next();
		assertFalse(it.hasNext());
		assertEquals(1 * 6 * 16 * 16, it.inputColumns());

		DataSet masked = new VolumePatchDataSetIterator(sampler, 2, 1, 5, new BlindSpotMasker3D(BlindSpotMasking.DEFAULT)).next();
		assertArrayEquals(new long[] { 2, 1, 6, 16, 16 }, masked.getLabelsMaskArray().shape());
		VolumePatchSampler.Pair p = sampler.validation().get(0);
		DataSet one = VolumePatchDataSetIterator.toDataSet(List.of(p, p));
		assertEquals(p.target().get(0, 4, 5, 7), one.getLabels().getFloat(1, 0, 4, 5, 7), 1e-6);
		assertEquals(p.input().get(0, 2, 9, 3), one.getFeatures().getFloat(1, 0, 2, 9, 3), 1e-6);
		// noise sigma 25 of 255 on a range of ~1: clearly noisy, not absurd
		double mse = 0;
		for (int i = 0; i < p.input().data().length; i++) mse += Math.pow(p.input().data()[i] - p.target().data()[i], 2);
		double sigma = Math.sqrt(mse / p.input().data().length);
		assertTrue(sigma > 0.03 && sigma < 0.3, "normalised noise sigma " + sigma);
	}

	@Test
	void aSyntheticBlurSeesTheVoxelsAroundThePatchInZAndXY() throws IOException {
		Path folder = Files.createDirectories(dir.resolve("clean"));
		FloatVolume scene = TestVolumes.filamentsAndBlobs(TestVolumes.Spec.of(4).withSize(16, 32, 32).withPeak(100)).clean();
		TestVolumes.write(scene, folder.resolve("v.tif"), 32);
		VolumeDegradation blur = VolumeDegradations.of(DegradationSpec.of("gaussian_blur", "1.5", "", 0, 2), "2");
		List<TrainingVolume> volumes = TrainingVolumes.load(folder, null, blur, Normalization.DEFAULT, 1);
		VolumePatchSampler sampler = new VolumePatchSampler(volumes, new VolumePatchSampler.PatchShape(8, 4), blur, 0.2, 3);
		// the validation patches are not turned: each is the whole volume blurred, then cut out
		FloatVolume whole = GaussianBlur3D.blur(volumes.get(0).clean(), 1.5, 2);
		volumes.get(0).range().normalize(whole.asPlanes());
		Set<Integer> planes = new HashSet<>();
		for (VolumePatchSampler.Pair p : sampler.validation()) {
			int[] at = find(whole, volumes.get(0), p.target());
			planes.add(at[0]);
			assertArrayEquals(whole.extract(at[0], at[1], at[2], 4, 8, 8).data(), p.input().data(), 1e-5f);
		}
		assertTrue(planes.stream().anyMatch(z -> z > 0 && z < 12), "a validation cell away from the top and bottom: " + planes);
	}

	/** Where a normalised target patch lies in its volume (cells are on the 4 x 8 x 8 grid). */
	private static int[] find(FloatVolume whole, TrainingVolume v, FloatVolume target) {
		for (int z = 0; z + 4 <= whole.depth(); z += 4)
			for (int y = 0; y + 8 <= whole.height(); y += 8)
				for (int x = 0; x + 8 <= whole.width(); x += 8) {
					FloatVolume clean = v.clean().extract(z, y, x, 4, 8, 8);
					v.range().normalize(clean.asPlanes());
					if (clean.equals(target)) return new int[] { z, y, x };
				}
		throw new AssertionError("validation patch not found on the cell grid");
	}
}
