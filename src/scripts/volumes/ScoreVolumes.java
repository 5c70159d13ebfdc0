import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import io.github.imagify.image.FloatImage;
import io.github.imagify.metrics.Metrics;

/**
 * PSNR and SSIM of restored Z-stacks against their clean truth, same file names: each stack is one image whose planes
 * are its channels (PSNR over all voxels; SSIM the mean over planes), with the clean stack's value range as the peak.
 * Prints one line per stack and the mean. Usage:
 *   java -cp "target/imagify.jar:target/lib/*" src/scripts/volumes/ScoreVolumes.java CLEAN_DIR RESTORED_DIR
 */
public class ScoreVolumes {
	public static void main(String[] args) throws Exception {
		Path clean = Path.of(args[0]), restored = Path.of(args[1]);
		List<Path> files;
		try (Stream<Path> s = Files.list(clean)) {
			files = s.filter(p -> p.toString().endsWith(".tif")).sorted().toList();
		}
		double psnrSum = 0, ssimSum = 0;
		for (Path f : files) {
			FloatImage truth = stack(IJ.openImage(f.toString())), test = stack(IJ.openImage(restored.resolve(f.getFileName()).toString()));
			float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
			for (float v : truth.data()) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
			double psnr = Metrics.psnr(truth, test, hi - lo), ssim = Metrics.ssim(truth, test, hi - lo);
			System.out.printf("%s: PSNR %.2f dB, SSIM %.3f%n", f.getFileName(), psnr, ssim);
			psnrSum += psnr;
			ssimSum += ssim;
		}
		System.out.printf("mean: PSNR %.2f dB, SSIM %.3f%n", psnrSum / files.size(), ssimSum / files.size());
	}

	private static FloatImage stack(ImagePlus imp) {
		ImageStack s = imp.getStack();
		int w = imp.getWidth(), h = imp.getHeight(), n = s.getSize();
		float[] data = new float[n * w * h];
		for (int i = 0; i < n; i++) System.arraycopy((float[]) s.getProcessor(i + 1).convertToFloat().getPixels(), 0, data, i * w * h, w * h);
		return new FloatImage(n, h, w, data);
	}
}
