import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

import io.github.imagify.classic.Bm3d;
import io.github.imagify.degrade.GaussianNoise;
import io.github.imagify.image.FloatImage;
import io.github.imagify.image.OpponentColours;
import io.github.imagify.image.Tiling;
import io.github.imagify.imagej.ImagePlusImages;
import io.github.imagify.imagej.restore.ModelChoice;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.metrics.Metrics;

/**
 * Where an RGB denoiser's error lies: the squared error of Imagify (RGB through the grey model in opponent colours,
 * the default) and of CBM3D, split into the opponent channels (luminance Y, colour differences U and V). The
 * rotation is orthonormal, so the RGB MSE is the mean of the three channels' MSEs and the split is exact. Noise as
 * Imagify Evaluate makes it (a fresh Random(seed) per image, seed 7 by default), results clipped to 0..255.
 * Usage, from the repository root after `mvn -B -DskipTests package`:
 *   java -cp "target/imagify.jar:target/lib/*" src/scripts/evaluation/OpponentErrorSplit.java RGB_FOLDER SIGMA [MODEL] [SEED]
 */
public class OpponentErrorSplit {

	public static void main(String[] args) throws Exception {
		Path folder = Path.of(args[0]);
		double sigma = Double.parseDouble(args[1]);
		String model = args.length > 2 ? args[2] : "";
		long seed = args.length > 3 ? Long.parseLong(args[3]) : 7;
		double[] imagifyTotal = new double[3], cbm3dTotal = new double[3];
		System.out.println("image,imagify_Y,imagify_U,imagify_V,cbm3d_Y,cbm3d_U,cbm3d_V");
		try (ModelChoice models = new ModelChoice(model, 512, 0, 1, s -> {})) {
			for (Path file : ImageFiles.listImages(folder)) {
				FloatImage clean = ImagePlusImages.plane(ImageFiles.read(file), 1);
				if (clean.channels() != 3) continue;
				FloatImage noisy = new GaussianNoise(sigma).apply(clean, 255, new Random(seed));
				double[] imagify = channelMse(clean, clipped(models.forChannels(3).restore(noisy, (done, total) -> true)));
				double[] cbm3d = channelMse(clean, clipped(Bm3d.denoise(noisy, sigma, 255)));
				System.out.printf(Locale.ROOT, "%s,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f%n", file.getFileName(),
						imagify[0], imagify[1], imagify[2], cbm3d[0], cbm3d[1], cbm3d[2]);
				for (int c = 0; c < 3; c++) {
					imagifyTotal[c] += imagify[c];
					cbm3dTotal[c] += cbm3d[c];
				}
			}
		}
		double gapY = imagifyTotal[0] - cbm3dTotal[0];
		double gapColour = imagifyTotal[1] + imagifyTotal[2] - cbm3dTotal[1] - cbm3dTotal[2];
		System.out.printf(Locale.ROOT, "sum,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f%n", imagifyTotal[0], imagifyTotal[1], imagifyTotal[2],
				cbm3dTotal[0], cbm3dTotal[1], cbm3dTotal[2]);
		System.out.printf(Locale.ROOT, "# Imagify minus CBM3D, summed MSE: luminance %+.2f, colour differences %+.2f%n", gapY, gapColour);
	}

	/** MSE per opponent channel. */
	static double[] channelMse(FloatImage clean, FloatImage result) {
		FloatImage a = opponent(clean), b = opponent(result);
		double[] mse = new double[3];
		for (int c = 0; c < 3; c++)
			mse[c] = Metrics.mse(channel(a, c), channel(b, c));
		return mse;
	}

	static FloatImage opponent(FloatImage rgb) {
		return Tiling.extract(OpponentColours.view(rgb), 0, 0, rgb.height(), rgb.width());
	}

	static FloatImage channel(FloatImage image, int c) {
		int n = image.planeSize();
		return new FloatImage(1, image.height(), image.width(), Arrays.copyOfRange(image.data(), c * n, (c + 1) * n));
	}

	static FloatImage clipped(FloatImage image) {
		FloatImage out = image.copy();
		float[] d = out.data();
		for (int i = 0; i < d.length; i++) d[i] = Math.max(0f, Math.min(255f, d[i]));
		return out;
	}
}
