// Noisy test images for run-slurm-test.sh: java -cp ij.jar GenerateImages.java <folder> <count> <size> <big image> <big size>
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import ij.process.ShortProcessor;
import java.io.File;
import java.util.Random;

public class GenerateImages {
	public static void main(String[] args) {
		File folder = new File(args[0]);
		folder.mkdirs();
		int count = Integer.parseInt(args[1]), size = Integer.parseInt(args[2]);
		for (int i = 0; i < count; i++) {
			// names whose listing order differs from creation order; 8-bit PNGs and 16-bit TIFFs
			String name = String.format("%s-%02d", i % 3 == 0 ? "cells" : "nuclei", (i * 7) % count);
			ByteProcessor bp = noisy(size, size + 8 * (i % 4), i);
			if (i % 2 == 0) new FileSaver(new ImagePlus(name, bp)).saveAsPng(new File(folder, name + ".png").getPath());
			else new FileSaver(new ImagePlus(name, bp.convertToShortProcessor(false))).saveAsTiff(new File(folder, name + ".tif").getPath());
		}
		int big = Integer.parseInt(args[4]);
		new FileSaver(new ImagePlus("big", noisy(big, big, 99).convertToShortProcessor(false))).saveAsTiff(args[3]);
	}

	static ByteProcessor noisy(int w, int h, long seed) {
		Random rng = new Random(seed);
		double fx = 0.01 + 0.05 * rng.nextDouble(), fy = 0.01 + 0.05 * rng.nextDouble();
		ByteProcessor bp = new ByteProcessor(w, h);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				double v = 120 + 60 * Math.sin(x * fx) * Math.cos(y * fy) + (x > w / 2 ? 30 : 0) + 25 * rng.nextGaussian();
				bp.set(x, y, (int) Math.max(0, Math.min(255, Math.round(v))));
			}
		return bp;
	}
}
