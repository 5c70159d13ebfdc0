import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import ij.ImagePlus;
import io.github.imagify.data.TrainingImages;
import io.github.imagify.degrade.DegradationSpec;
import io.github.imagify.image.FloatImage;
import io.github.imagify.image.Normalization;
import io.github.imagify.imagej.ImagePlusImages;
import io.github.imagify.io.ImageFiles;

/**
 * Writes the noisy images that Imagify Evaluate makes from clean ones, as 32-bit TIFFs (unclipped, unquantised) in
 * OUT/noisy, beside TIFF copies of the clean ones in OUT/clean under the same names, so that a self-supervised model
 * can be trained on exactly the images it is then scored on (Evaluate with images=OUT/clean, degraded=OUT/noisy):
 * each image degraded with a fresh Random(seed), as Evaluate does.
 * Usage (after mvn package): java -cp "target/imagify.jar:target/lib/*" src/scripts/evaluation/NoisyCopies.java
 *   CLEAN_FOLDER OUT_FOLDER TYPE NOISE_SIGMA POISSON_PEAK SEED     e.g. ... gray noisy25 gaussian_noise 25 30 7
 */
public class NoisyCopies {

	public static void main(String[] args) throws Exception {
		Path clean = Path.of(args[0]), out = Files.createDirectories(Path.of(args[1]).resolve("noisy"));
		Path copies = Files.createDirectories(out.resolveSibling("clean"));
		DegradationSpec spec = DegradationSpec.of(args[2], "0", args[3], Double.parseDouble(args[4]), 2);
		long seed = Long.parseLong(args[5]);
		for (Path file : ImageFiles.listImages(clean)) {
			ImagePlus image = ImageFiles.read(file);
			FloatImage plane = ImagePlusImages.plane(image, 1);
			double range = TrainingImages.dataRange(image.getBitDepth(), plane, Normalization.DEFAULT);
			FloatImage noisy = spec.toDegradation().apply(plane, range, new Random(seed));
			String name = file.getFileName().toString().replaceAll("\\.[^.]+$", "") + ".tif";
			ImageFiles.write(new ImagePlus(name, ImagePlusImages.toProcessor(noisy, false)), out.resolve(name));
			ImageFiles.write(image, copies.resolve(name));
			System.out.println(out.resolve(name));
		}
	}
}
