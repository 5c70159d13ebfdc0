package io.github.imagify.restore;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import io.github.imagify.cli.Main;
import io.github.imagify.image.FloatImage;
import io.github.imagify.image.FloatVolume;
import io.github.imagify.image.Normalization;
import io.github.imagify.image.Symmetries;
import io.github.imagify.image.VolumeTiling;
import io.github.imagify.imagej.restore.FileRestorer;
import io.github.imagify.imagej.restore.ImageRestorer;
import io.github.imagify.imagej.restore.ModelChoice;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.modelfile.ModelFile;
import io.github.imagify.modelfile.ModelInfo;
import io.github.imagify.modelfile.OnnxGraphCheck;
import io.github.imagify.onnx.TestModels3d;
import io.github.imagify.testing.TestModels;

/** Restoring Z-stacks as volumes with a small 3D U-Net (an ONNX graph written by hand) through the real ONNX Runtime. */
class Restorer3dTest {

	static final ModelFile POOLING_Z = TestModels3d.tinyUNet(true, 2, 7), KEEPING_Z = TestModels3d.tinyUNet(false, 2, 8);
	static Restorer tiled;

	@TempDir
	Path dir;

	@BeforeAll
	static void model() throws Exception {
		tiled = new Restorer(POOLING_Z, 16, 1);
	}

	@AfterAll
	static void close() {
		tiled.close();
	}

	@Test
	void zGeometryFollowsDimsAndPoolZ() {
		ModelInfo isotropic = info(Map.of(ModelInfo.DIMS, 3, ModelInfo.POOL_Z, true, "depth", 3), 8, 51);
		assertTrue(isotropic.is3d());
		assertEquals(8, isotropic.sizeMultipleZ());
		assertEquals(51, isotropic.contextZ());
		// unpooled Z: one plane per 3x3x3 conv on the longest path, 2 x 3 encoder + 2 bottleneck + 2 x 3 decoder + 2 refinement
		ModelInfo anisotropic = info(Map.of(ModelInfo.DIMS, 3.0, ModelInfo.POOL_Z, "false", "depth", 3, "refine_convs", 2), 8, 51);
		assertEquals(1, anisotropic.sizeMultipleZ());
		assertEquals(16, anisotropic.contextZ());
		ModelInfo flat = info(Map.of("depth", 3), 8, 51);
		assertFalse(flat.is3d());
		assertEquals(0, flat.contextZ());
		assertEquals(1, flat.sizeMultipleZ());
		assertTrue(assertThrows(IllegalArgumentException.class, () -> info(Map.of(ModelInfo.DIMS, 4), 8, 51)).getMessage().contains("dims must be absent, 2 or 3"));
	}

	/**
	 * tile_size 0 for a 3D model: the largest cube (steps of 32, up to 256) whose padded tile times 2 x base filters stays
	 * within what a 64-voxel core of a depth-3, 32-filter U-Net pooling Z holds (176^3 x 64): that network keeps 64, a
	 * depth-2, 16-filter one without Z pooling gets 160 (192 would hold 212 x 240 x 240 x 32 = 391 M values, over 349 M),
	 * a model file without base filters keeps 64; a given tile_size is used as it is.
	 */
	@Test
	void theAutomaticTileOfA3dModelGrowsAsItsNetworkShrinks() throws Exception {
		assertEquals(64, Restorer.automaticCore3d(info(Map.of(ModelInfo.DIMS, 3, ModelInfo.POOL_Z, true, "depth", 3, "base_filters", 32), 8, 51)));
		assertEquals(160, Restorer.automaticCore3d(info(Map.of(ModelInfo.DIMS, 3, ModelInfo.POOL_Z, false, "depth", 2, "base_filters", 16), 4, 23)));
		assertEquals(64, Restorer.automaticCore3d(info(Map.of(ModelInfo.DIMS, 3, ModelInfo.POOL_Z, false, "depth", 2), 4, 23)));
		Map<String, Object> network = new java.util.HashMap<>(POOLING_Z.info().network());
		network.put("base_filters", 4);
		ModelInfo i = POOLING_Z.info();
		ModelFile withFilters = new ModelFile(new ModelInfo(i.name(), i.description(), i.channels(), i.sizeMultiple(), i.context(), i.normalization(), i.degradation(),
				network, i.training()), POOLING_Z.onnx());
		try (Restorer automatic = new Restorer(withFilters, Restorer.AUTOMATIC_TILE_SIZE, 1); Restorer given = new Restorer(withFilters, 48, 1)) {
			assertEquals(256, automatic.volumeTiling().xy().coreSize());
			assertEquals(256, automatic.volumeTiling().z().coreSize());
			assertEquals(48, given.volumeTiling().xy().coreSize());
		}
	}

	private static ModelInfo info(Map<String, Object> network, int multiple, int context) {
		return new ModelInfo("m", "", 1, multiple, context, Normalization.DEFAULT, Map.of(), network, Map.of());
	}

	@Test
	void aThreeDimensionalGraphNeedsMetadataThatSaysSo() {
		ModelFile said2d = new ModelFile(info(Map.of(), 2, TestModels3d.RADIUS), POOLING_Z.onnx());
		var e = assertThrows(java.io.IOException.class, () -> OnnxGraphCheck.check(said2d.onnx(), said2d.info()));
		assertTrue(e.getMessage().contains("input has rank 5 (4 is expected"), e.getMessage());
		ModelFile said3d = new ModelFile(info(Map.of(ModelInfo.DIMS, 3), 2, 9), TestModels.randomModel(1, 1, 2, 1).onnx());
		e = assertThrows(java.io.IOException.class, () -> OnnxGraphCheck.check(said3d.onnx(), said3d.info()));
		assertTrue(e.getMessage().contains("input has rank 4 (5 is expected"), e.getMessage());
	}

	/** Depth, height and width that are not multiples of the tile: several tiles along every axis, edge tiles smaller. */
	@Test
	void tiledEqualsUntiledInZYAndX() throws Exception {
		FloatVolume raw = random(37, 35, 33, 1, 0, 1);
		for (ModelFile model : List.of(POOLING_Z, KEEPING_Z))
			try (Restorer small = new Restorer(model, 16, 1); Restorer whole = new Restorer(model, 64, 1)) {
				List<VolumeTiling.Tile> tiles = small.volumeTiling().plan(37, 35, 33);
				for (var origin : List.<java.util.function.ToIntFunction<VolumeTiling.Tile>>of(VolumeTiling.Tile::z, VolumeTiling.Tile::y, VolumeTiling.Tile::x))
					assertEquals(3, tiles.stream().mapToInt(origin).distinct().count(), "three tiles along each axis");
				assertEquals(1, whole.volumeTiling().plan(37, 35, 33).size());
				FloatVolume a = small.restore(raw, null), b = whole.restore(raw, null);
				assertTrue(maxDifference(a, b) < 1e-5, model.info().network() + ": tiled and untiled differ by " + maxDifference(a, b));
				assertTrue(maxDifference(a, raw) > 0.05, "the network changes the volume");
			}
	}

	/** A smaller context in Z than the network's receptive field there shows in the result: the Z context is what keeps tiles exact. */
	@Test
	void theZContextIsNeeded() throws Exception {
		FloatVolume raw = random(37, 20, 20, 2, 0, 1);
		ModelInfo i = POOLING_Z.info();
		try (Restorer whole = new Restorer(POOLING_Z, 64, 1)) {
			FloatVolume reference = whole.restore(raw, null);
			// the same network tiled by Z in cores of 4 planes with one plane of context only
			VolumeTiling thin = new VolumeTiling(new VolumeTiling.Axis(2, 1, 4), new VolumeTiling.Axis(2, i.context(), 64), 1);
			try (var network = new io.github.imagify.ort.OnnxNetwork(OnnxGraphCheck.check(POOLING_Z.onnx(), i), 1)) {
				Normalization.Range range = i.normalization().measure(io.github.imagify.image.PlaneView.stacked(raw.planes()));
				FloatVolume cut = thin.run(raw, t -> {
					for (FloatVolume v : t) range.normalize(v.asPlanes());
					List<FloatVolume> out = network.runVolumes(t);
					for (FloatVolume v : out) range.denormalize(v.asPlanes());
					return out;
				}, null);
				assertTrue(maxDifference(cut, reference) > 1e-3, "too little Z context went unnoticed");
			}
		}
	}

	@Test
	void selfEnsembleOfEightMakesAVolumeRestoreEquivariantToMirrorsAndTurnsInXY() throws Exception {
		FloatVolume raw = random(8, 16, 20, 3, 0, 1); // sides multiples of the pooling: a mirrored volume keeps its pooling grid
		try (Restorer eight = new Restorer(POOLING_Z, 16, 1, 8)) {
			FloatVolume single = tiled.restore(raw, null), averaged = eight.restore(raw, null);
			double plainWorst = 0;
			for (int k = 1; k < Symmetries.COUNT; k++) {
				FloatVolume turned = turn(raw, k);
				assertTrue(maxDifference(eight.restore(turned, null), turn(averaged, k)) < 1e-5, "symmetry " + k);
				plainWorst = Math.max(plainWorst, maxDifference(tiled.restore(turned, null), turn(single, k)));
			}
			assertTrue(plainWorst > 1e-3, "the random network came out equivariant: " + plainWorst);
		}
	}

	private static FloatVolume turn(FloatVolume v, int symmetry) {
		return FloatVolume.ofPlanes(Symmetries.apply(v.asPlanes(), symmetry), v.depth());
	}

	@Test
	void singlePlanesAndTooShortStacksAreRefusedWithOneLine() throws Exception {
		String plane = assertThrows(IllegalArgumentException.class, () -> tiled.restore(new FloatImage(1, 20, 20), null)).getMessage();
		assertEquals("Model 'tiny-3d' is a 3D model: it restores Z-stacks, not single planes; open the whole Z-stack (at least 2 planes) or use a 2D model", plane);
		assertEquals(plane, assertThrows(IllegalArgumentException.class, () -> tiled.restore(random(1, 20, 20, 4, 0, 1), null)).getMessage());
		var onePlane = new ImagePlus("one", new FloatProcessor(20, 20));
		assertEquals(plane, assertThrows(IllegalArgumentException.class, () -> new ImageRestorer(tiled).restore(onePlane, RestoreListener.SILENT)).getMessage());
		ImagePlus timeLapse = hyperstack(16, 1, 1, 3, 5);
		String time = assertThrows(IllegalArgumentException.class, () -> new ImageRestorer(tiled).restore(timeLapse, RestoreListener.SILENT)).getMessage();
		assertTrue(time.contains("one Z plane per channel and time point") && time.contains("Image > Properties"), time);

		ModelFile fourDeep = TestModels3d.tinyUNet(true, 4, 7); // the graph's sizes are multiples of 2, so of 4 too
		try (Restorer r = new Restorer(fourDeep, 16, 1)) {
			assertEquals(4, r.minimumDepth());
			String few = assertThrows(IllegalArgumentException.class, () -> r.restore(random(3, 20, 20, 5, 0, 1), null)).getMessage();
			assertEquals("The Z-stack has 3 planes, fewer than the 4 that 3D model 'tiny-3d' needs (its poolings halve Z down to one plane every 4);"
					+ " use a stack of at least 4 planes or a 2D model", few);
			assertEquals(4, r.restore(random(4, 20, 20, 5, 0, 1), null).depth());
		}
		try (Restorer flat = new Restorer(TestModels.randomModel(1, 1, 2, 1), 16, 1)) {
			String msg = assertThrows(IllegalArgumentException.class, () -> flat.restore(random(4, 20, 20, 5, 0, 1), null)).getMessage();
			assertTrue(msg.contains("is a 2D model: it restores plane by plane"), msg);
		}
		for (String m : List.of(plane, time)) assertFalse(m.contains("\n"));
	}

	/** Each channel and time point of a hyperstack is one volume; the result keeps the input's dimensions, calibration and order. */
	@Test
	void hyperstacksOf8And16And32BitsRestoreEachChannelAndTimePointAsAVolume() throws Exception {
		for (int bits : new int[] { 8, 16, 32 }) {
			ImagePlus imp = hyperstack(bits, 2, 6, 2, bits);
			Object before = imp.getStack().getPixels(7);
			Object copy = before instanceof byte[] b ? b.clone() : before instanceof short[] s ? s.clone() : ((float[]) before).clone();
			ImagePlus out = new ImageRestorer(tiled).restore(imp, RestoreListener.SILENT);
			assertEquals(32, out.getBitDepth());
			assertArrayEquals(new int[] { 22, 18, 2, 6, 2 }, out.getDimensions());
			assertTrue(out.isHyperStack());
			assertCalibration(imp.getCalibration(), out.getCalibration());
			double range = bits == 8 ? 255 : bits == 16 ? 4000 : 1;
			for (int t = 1; t <= 2; t++)
				for (int c = 1; c <= 2; c++) {
					FloatVolume expected = tiled.restore(volume(imp, c, t), null);
					FloatVolume got = volume(out, c, t);
					assertTrue(maxDifference(expected, got) / range < 1e-5, bits + "-bit, channel " + c + ", time " + t);
				}
			assertTrue(maxDifference(volume(out, 1, 1), volume(out, 2, 1)) > 0, "channels are restored apart");
			assertTrue(java.util.Objects.deepEquals(copy, imp.getStack().getPixels(7)), "the input is untouched");

			ImagePlus kept = new ImageRestorer(tiled).restore(imp, true, RestoreListener.SILENT);
			assertEquals(bits, kept.getBitDepth());
			assertArrayEquals(new int[] { 22, 18, 2, 6, 2 }, kept.getDimensions());
		}
	}

	/** Files and the Denoise command: a 16-bit hyperstack TIFF restored with a 3D model file, its dimensions and calibration kept on disk. */
	@Test
	void aHyperstackFileRestoresThroughTheFilePathAndTheCommand() throws Exception {
		Path modelFile = dir.resolve("tiny-3d.zip"), in = dir.resolve("stack.tif"), out = dir.resolve("stack-restored.tif");
		POOLING_Z.write(modelFile);
		ImagePlus imp = hyperstack(16, 2, 5, 2, 3);
		ImageFiles.write(imp, in);
		List<String> log = new ArrayList<>();
		try (ModelChoice models = new ModelChoice(modelFile.toString(), Restorer.AUTOMATIC_TILE_SIZE, 1, log::add)) {
			assertEquals(List.of(out), new FileRestorer(models).restore(in, out, RestoreListener.SILENT));
		}
		assertTrue(log.stream().anyMatch(l -> l.startsWith("3D model: restores each Z-stack as a volume (tiles of 64x64x64 voxels")), log.toString());
		ImagePlus restored = ImageFiles.read(out);
		assertArrayEquals(new int[] { 22, 18, 2, 5, 2 }, restored.getDimensions());
		assertEquals(32, restored.getBitDepth());
		assertCalibration(imp.getCalibration(), restored.getCalibration());
		FloatVolume expected = tiled.restore(volume(imp, 2, 2), null);
		assertTrue(maxDifference(expected, volume(restored, 2, 2)) / 4000 < 1e-5);

		Path viaCommand = dir.resolve("command.tif");
		assertEquals(0, Main.run(new String[] { "--run", "Imagify Denoise", "input='" + in + "',output='" + viaCommand + "',model='" + modelFile + "',output_type='input'" }));
		ImagePlus fromCommand = ImageFiles.read(viaCommand);
		assertArrayEquals(new int[] { 22, 18, 2, 5, 2 }, fromCommand.getDimensions());
		assertEquals(16, fromCommand.getBitDepth());
		assertCalibration(imp.getCalibration(), fromCommand.getCalibration());
	}

	private static void assertCalibration(Calibration want, Calibration got) {
		assertEquals(want.pixelWidth, got.pixelWidth, 1e-9);
		assertEquals(want.pixelHeight, got.pixelHeight, 1e-9);
		assertEquals(want.pixelDepth, got.pixelDepth, 1e-9);
		assertEquals(want.getUnit(), got.getUnit());
		assertEquals(want.frameInterval, got.frameInterval, 1e-9);
	}

	/** A 22x18 hyperstack of random pixels with a calibration in micrometres. */
	static ImagePlus hyperstack(int bits, int channels, int slices, int frames, long seed) {
		Random random = new Random(seed);
		ImageStack stack = new ImageStack(22, 18);
		for (int i = 0; i < channels * slices * frames; i++) {
			ImageProcessor ip = bits == 8 ? new ByteProcessor(22, 18) : bits == 16 ? new ShortProcessor(22, 18) : new FloatProcessor(22, 18);
			for (int p = 0; p < 22 * 18; p++)
				ip.setf(p, bits == 8 ? random.nextInt(256) : bits == 16 ? random.nextInt(4000) : random.nextFloat());
			stack.addSlice("plane " + i, ip);
		}
		ImagePlus imp = new ImagePlus("cells.tif", stack);
		imp.setDimensions(channels, slices, frames);
		imp.setOpenAsHyperStack(true);
		Calibration cal = new Calibration();
		cal.pixelWidth = 0.2;
		cal.pixelHeight = 0.2;
		cal.pixelDepth = 0.5;
		cal.setUnit("micron");
		cal.frameInterval = 3;
		imp.setCalibration(cal);
		return imp;
	}

	/** The Z-stack of channel {@code c} and time point {@code t} (1-based), as floats. */
	static FloatVolume volume(ImagePlus imp, int c, int t) {
		int slices = imp.getNSlices(), n = imp.getWidth() * imp.getHeight();
		FloatVolume v = new FloatVolume(1, slices, imp.getHeight(), imp.getWidth());
		for (int z = 1; z <= slices; z++) {
			ImageProcessor ip = imp.getStack().getProcessor(imp.getStackIndex(c, z, t));
			for (int p = 0; p < n; p++) v.data()[(z - 1) * n + p] = ip.getf(p);
		}
		return v;
	}

	static FloatVolume random(int d, int h, int w, long seed, float lo, float hi) {
		Random random = new Random(seed);
		FloatVolume v = new FloatVolume(1, d, h, w);
		for (int i = 0; i < v.data().length; i++) v.data()[i] = lo + (hi - lo) * random.nextFloat();
		return v;
	}

	static double maxDifference(FloatVolume a, FloatVolume b) {
		assertTrue(a.sameShape(b), a + " vs " + b);
		double d = 0;
		for (int i = 0; i < a.data().length; i++) d = Math.max(d, Math.abs(a.data()[i] - b.data()[i]));
		return d;
	}
}
