// Held-out check of a denoising model on images it never saw (default natural/coins.png; -R-Dimages=a,b) + Gaussian noise sigma 15/25/50
// (seed 7, not clipped), restored output clipped to 0..255; PSNR/SSIM against the clean image, beside the
// best Gaussian filter (its sigma chosen with the truth, an optimistic baseline), measured in the same run.
// Usage, from the repository root after `mvn -DskipTests package`:
//   jshell --class-path "target/classes:$(ls target/lib/*.jar | tr '\n' ':')" -R-Dmodel=MODEL.zip -R-Ddata=/path/to/shared/data/train src/scripts/evaluate-bundled.jsh
import ij.*; import io.github.imagify.image.*; import io.github.imagify.degrade.*; import io.github.imagify.io.*; import io.github.imagify.metrics.*; import io.github.imagify.restore.*; import io.github.imagify.modelfile.*;
var model = ModelFile.read(java.nio.file.Path.of(System.getProperty("model")));
var restorer = new Restorer(model, 256, 0);
for (String name : System.getProperty("images", "natural/coins.png").split(",")) {
  FloatImage clean = ImagePlusImages.plane(ImageFiles.read(java.nio.file.Path.of(System.getProperty("data") + "/" + name)), 1);
  for (double sigma : new double[] {15, 25, 50}) {
    FloatImage noisy = new GaussianNoise(sigma).apply(clean, 255, new java.util.Random(7));
    long t = System.nanoTime();
    FloatImage out = restorer.restore(noisy, null);
    double secs = (System.nanoTime() - t) / 1e9;
    for (float[] d : new float[][] {out.data()}) for (int i = 0; i < d.length; i++) d[i] = Math.max(0, Math.min(255, d[i]));
    double bestG = -1, bestGs = 0; FloatImage gauss = null;
    for (double gs : new double[] {0.5, 0.75, 1.0, 1.5, 2.0, 3.0}) { FloatImage g = GaussianBlur.blur(noisy, gs); double p = Metrics.psnr(clean, g, 255); if (p > bestG) { bestG = p; bestGs = gs; gauss = g; } }
    System.out.printf("%s sigma %2.0f: noisy %.2f dB / SSIM %.3f | best Gaussian filter (sigma %.2f, chosen with the truth) %.2f dB / %.3f | Imagify %.2f dB / %.3f (%.2f s)%n",
      name, sigma, Metrics.psnr(clean, noisy, 255), Metrics.ssim(clean, noisy, 255), bestGs, bestG, Metrics.ssim(clean, gauss, 255),
      Metrics.psnr(clean, out, 255), Metrics.ssim(clean, out, 255), secs);
  }
}
restorer.close();
/exit
