import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

/**
 * Builds the held-out evaluation set of the README's tables from the licensed images (never trained on):
 * coins.png and chelsea.png of shared/data/train, and the six photos marked `eval` in
 * src/scripts/training-data/photos.tsv. Writes OUT/gray (all eight, RGB converted with luminance weights
 * 0.299/0.587/0.114, as Imagify Train's as_grey) and OUT/rgb (the seven RGB ones); images larger than 512x512
 * are cut to their central 512x512 (the two large photos), which keeps non-local means affordable.
 * Usage: java -cp target/lib/ij-1.54p.jar src/scripts/evaluation/HeldOutImages.java SHARED_TRAIN EXTRA_PHOTOS OUT
 */
public class HeldOutImages {

	static final List<String> PHOTOS = List.of("scratch_village.png", "scratch_forest.png", "scratch_houses.png", "scratch_garden_rock.png",
			"palapeli_european-honey-bee.png", "lomiri_kleiber_nuthatch.png");
	static final int MAX = 512;

	public static void main(String[] args) throws Exception {
		Path shared = Path.of(args[0]), extra = Path.of(args[1]), out = Path.of(args[2]);
		Files.createDirectories(out.resolve("gray"));
		Files.createDirectories(out.resolve("rgb"));
		write(shared.resolve("natural/coins.png"), out);
		write(shared.resolve("natural/chelsea.png"), out);
		for (String photo : PHOTOS) write(extra.resolve(photo), out);
	}

	static void write(Path file, Path out) {
		ImagePlus imp = new Opener().openImage(file.toString());
		if (imp == null) throw new IllegalArgumentException("Cannot open " + file);
		ImageProcessor ip = imp.getProcessor();
		if (ip.getWidth() > MAX || ip.getHeight() > MAX) {
			ip.setRoi((ip.getWidth() - MAX) / 2, (ip.getHeight() - MAX) / 2, Math.min(MAX, ip.getWidth()), Math.min(MAX, ip.getHeight()));
			ip = ip.crop();
		}
		String name = file.getFileName().toString();
		if (ip instanceof ColorProcessor cp) {
			new FileSaver(new ImagePlus(name, cp)).saveAsPng(out.resolve("rgb").resolve(name).toString());
			cp.setRGBWeights(0.299, 0.587, 0.114);
			ip = cp.convertToByte(false);
		}
		new FileSaver(new ImagePlus(name, ip)).saveAsPng(out.resolve("gray").resolve(name).toString());
	}
}
