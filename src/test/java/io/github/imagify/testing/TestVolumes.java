package io.github.imagify.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.FloatProcessor;
import io.github.imagify.degrade.GaussianBlur3D;
import io.github.imagify.degrade.PoissonNoise;
import io.github.imagify.image.FloatVolume;
import io.github.imagify.imagej.ImagePlusImages;
import io.github.imagify.io.ImageFiles;

/**
 * Synthetic fluorescence Z-stacks with structure a 3D network can learn: curved filaments that cross planes and
 * blobs, blurred by an anisotropic Gaussian PSF, with Poisson shot noise. Intensities are photon counts (the brightest
 * structures near {@code peak}); everything follows from the seeds. Written as calibrated hyperstack TIFFs (pixel width
 * {@value #PIXEL_WIDTH} um, voxel depth {@value #VOXEL_DEPTH} um: 3x anisotropic, a common confocal stack).
 */
public final class TestVolumes {

	public static final double PIXEL_WIDTH = 0.1, VOXEL_DEPTH = 0.3;
	static final double BACKGROUND = 0.05;

	private TestVolumes() {}

	/**
	 * What to draw: the volume's size, how many filaments and blobs, the PSF's sigmas (XY pixels, Z planes), the photon
	 * count of the brightest structures, and the seeds of the scene and of its noise.
	 */
	public record Spec(int depth, int height, int width, int filaments, int blobs, double sigmaXY, double sigmaZ, double peak, long seed, long noiseSeed) {

		/** 32 planes of 128 x 128, 12 filaments, 20 blobs, PSF sigma 1 px x 2.5 planes, peak 30 photons. */
		public static Spec of(long seed) {
			return new Spec(32, 128, 128, 12, 20, 1, 2.5, 30, seed, seed + 1);
		}

		public Spec withSize(int depth, int height, int width) {
			return new Spec(depth, height, width, filaments, blobs, sigmaXY, sigmaZ, peak, seed, noiseSeed);
		}

		public Spec withPeak(double peak) {
			return new Spec(depth, height, width, filaments, blobs, sigmaXY, sigmaZ, peak, seed, noiseSeed);
		}

		/** The same scene with other noise: a second acquisition (Noise2Noise's partner). */
		public Spec withNoiseSeed(long noiseSeed) {
			return new Spec(depth, height, width, filaments, blobs, sigmaXY, sigmaZ, peak, seed, noiseSeed);
		}
	}

	/** A scene through the microscope's optics (clean, in expected photons) and one noisy acquisition of it (photon counts). */
	public record Volumes(FloatVolume clean, FloatVolume noisy) {}

	public static Volumes filamentsAndBlobs(Spec spec) {
		Random rng = new Random(spec.seed());
		FloatVolume scene = new FloatVolume(1, spec.depth(), spec.height(), spec.width());
		java.util.Arrays.fill(scene.data(), (float) BACKGROUND);
		double anisotropy = VOXEL_DEPTH / PIXEL_WIDTH;
		for (int i = 0; i < spec.filaments(); i++) filament(scene, anisotropy, rng);
		for (int i = 0; i < spec.blobs(); i++) {
			double[] centre = { rng.nextDouble() * spec.depth(), rng.nextDouble() * spec.height(), rng.nextDouble() * spec.width() };
			splat(scene, centre, 1.5 + rng.nextDouble() * 3.5, anisotropy, 0.3 + 0.5 * rng.nextDouble());
		}
		FloatVolume clean = GaussianBlur3D.blur(scene, spec.sigmaXY(), spec.sigmaZ());
		// photons: a value of 1 (a bright structure) collects peak photons on average
		FloatVolume noisy = FloatVolume.ofPlanes(new PoissonNoise(spec.peak()).apply(clean.asPlanes(), 1, new Random(spec.noiseSeed())), spec.depth());
		float[] c = clean.data(), n = noisy.data();
		for (int i = 0; i < c.length; i++) {
			c[i] *= (float) spec.peak();
			n[i] = Math.round(n[i] * spec.peak()); // whole photon counts
		}
		return new Volumes(clean, noisy);
	}

	/** A tube of radius ~1-1.5 px along a random walk whose direction turns slowly, tilted so it crosses planes. */
	private static void filament(FloatVolume scene, double anisotropy, Random rng) {
		double[] p = { rng.nextDouble() * scene.depth(), rng.nextDouble() * scene.height(), rng.nextDouble() * scene.width() };
		double[] dir = { (rng.nextDouble() - 0.5) * 0.4, rng.nextGaussian(), rng.nextGaussian() };
		double radius = 1 + rng.nextDouble() * 0.5, brightness = 0.6 + 0.4 * rng.nextDouble();
		int steps = (int) (1.5 * Math.max(scene.height(), scene.width()) * 2); // half-pixel steps
		for (int s = 0; s < steps; s++) {
			double norm = Math.sqrt(dir[0] * dir[0] * anisotropy * anisotropy + dir[1] * dir[1] + dir[2] * dir[2]);
			for (int a = 0; a < 3; a++) p[a] += 0.5 * dir[a] / norm; // half a pixel of physical length
			for (int a = 0; a < 3; a++) dir[a] += rng.nextGaussian() * (a == 0 ? 0.01 : 0.05);
			if (p[0] < -2 || p[1] < -2 || p[2] < -2 || p[0] > scene.depth() + 2 || p[1] > scene.height() + 2 || p[2] > scene.width() + 2) break;
			splat(scene, p, radius, anisotropy, brightness);
		}
	}

	/** Raises voxels near {@code centre} (z, y, x) to a Gaussian profile of {@code radius} XY pixels (z scaled by the anisotropy). */
	private static void splat(FloatVolume scene, double[] centre, double radius, double anisotropy, double brightness) {
		int reach = (int) Math.ceil(2.5 * radius), reachZ = (int) Math.ceil(2.5 * radius / anisotropy);
		int cz = (int) Math.round(centre[0]), cy = (int) Math.round(centre[1]), cx = (int) Math.round(centre[2]);
		for (int z = Math.max(0, cz - reachZ); z <= Math.min(scene.depth() - 1, cz + reachZ); z++)
			for (int y = Math.max(0, cy - reach); y <= Math.min(scene.height() - 1, cy + reach); y++)
				for (int x = Math.max(0, cx - reach); x <= Math.min(scene.width() - 1, cx + reach); x++) {
					double dz = (z - centre[0]) * anisotropy, dy = y - centre[1], dx = x - centre[2];
					double v = BACKGROUND + brightness * Math.exp(-(dz * dz + dy * dy + dx * dx) / (2 * radius * radius));
					if (v > scene.get(0, z, y, x)) scene.set(0, z, y, x, (float) v);
				}
	}

	/**
	 * Volumes as one calibrated hyperstack ({@value #PIXEL_WIDTH} um pixels, {@value #VOXEL_DEPTH} um planes): {@code
	 * channels} volumes per time point, in order (c1t1, c2t1, ..., c1t2, ...), 16-bit (rounded, clipped) or 32-bit.
	 */
	public static ImagePlus hyperstack(String title, int channels, int bitDepth, FloatVolume... volumes) {
		if (volumes.length % channels != 0) throw new IllegalArgumentException(volumes.length + " volumes are not time points of " + channels + " channels");
		FloatVolume first = volumes[0];
		int frames = volumes.length / channels, w = first.width(), h = first.height();
		ImageStack stack = new ImageStack(w, h);
		for (int t = 0; t < frames; t++)
			for (int z = 0; z < first.depth(); z++) // ImageJ's order: channels fastest, then Z, then time
				for (int c = 0; c < channels; c++) {
					float[] plane = new float[w * h];
					System.arraycopy(volumes[t * channels + c].data(), z * w * h, plane, 0, w * h);
					stack.addSlice(new FloatProcessor(w, h, plane));
				}
		ImagePlus imp = new ImagePlus(title, stack);
		imp.setDimensions(channels, first.depth(), frames);
		imp.setOpenAsHyperStack(true);
		Calibration cal = imp.getCalibration();
		cal.pixelWidth = cal.pixelHeight = PIXEL_WIDTH;
		cal.pixelDepth = VOXEL_DEPTH;
		cal.setUnit("micron");
		return bitDepth == 16 ? ImagePlusImages.toBitDepth(imp, 16) : imp;
	}

	/** Writes one volume as a calibrated TIFF stack. */
	public static Path write(FloatVolume volume, Path file, int bitDepth) throws IOException {
		ImageFiles.write(hyperstack(file.getFileName().toString(), 1, bitDepth, volume), file);
		return file;
	}

	/**
	 * Writes {@code count} volumes for benchmarks: OUT/noisy/volN.tif (16-bit photon counts) and OUT/clean/volN.tif
	 * (32-bit expected photons). Usage: OUT [count=4] [peak=30] [depth=32] [size=128] [seed=1].
	 */
	public static void main(String[] args) throws IOException {
		if (args.length < 1) {
			System.err.println("usage: TestVolumes OUT_FOLDER [count=4] [peak=30] [depth=32] [size=128] [seed=1]");
			System.exit(2);
		}
		Path out = Path.of(args[0]);
		int count = args.length > 1 ? Integer.parseInt(args[1]) : 4;
		double peak = args.length > 2 ? Double.parseDouble(args[2]) : 30;
		int depth = args.length > 3 ? Integer.parseInt(args[3]) : 32, size = args.length > 4 ? Integer.parseInt(args[4]) : 128;
		long seed = args.length > 5 ? Long.parseLong(args[5]) : 1;
		Path noisy = Files.createDirectories(out.resolve("noisy")), clean = Files.createDirectories(out.resolve("clean"));
		for (int i = 0; i < count; i++) {
			Volumes v = filamentsAndBlobs(Spec.of(seed + 100L * i).withSize(depth, size, size).withPeak(peak));
			write(v.noisy(), noisy.resolve("vol" + i + ".tif"), 16);
			write(v.clean(), clean.resolve("vol" + i + ".tif"), 32);
			System.out.println("wrote vol" + i + ".tif: " + depth + " x " + size + " x " + size + ", peak " + peak);
		}
	}
}
