package io.github.imagify.bioimageio;

import java.time.Year;
import java.util.List;
import java.util.Map;

import io.github.imagify.degrade.DegradationSpec;
import io.github.imagify.modelfile.ModelInfo;

/** The package's README.md and LICENSE, written from the model's metadata. */
final class Documentation {

	private Documentation() {}

	/** bioimage.io looks for a validation heading at the top of the file, so the title names it. */
	static String readme(String name, ModelInfo info, BioimageioExport.Axes axes, double eps) {
		String low = BioimageioExport.fmt(info.normalization().lowPercentile()), high = BioimageioExport.fmt(info.normalization().highPercentile());
		StringBuilder md = new StringBuilder();
		md.append("# ").append(name).append(": description, use and validation\n\n");
		if (!info.description().isBlank()) md.append(info.description()).append("\n\n");
		md.append("""
				Exported by [Imagify](https://github.com/imagify/imagify), an ImageJ/Fiji plugin that trains U-Nets with
				Deeplearning4j and restores images with ONNX Runtime. This package runs wherever bioimage.io models with
				ONNX weights run, e.g. deepImageJ in Fiji.

				## What it does

				""");
		md.append("- Trained to undo: ").append(degradation(info.degradation())).append('\n');
		md.append("- Network: ").append(network(info)).append('\n');
		md.append("- Channels: ").append(info.channels() == 3 ? "3 (RGB)" : info.channels() == 1 ? "1 (grey)" : Integer.toString(info.channels())).append("\n\n");
		md.append("## Input and output\n\n");
		boolean volume = axes.z() != null;
		md.append("- `input`: float32, axes batch, channel, ").append(String.join(", ", axes.space().keySet())).append(". Height and width are ")
				.append(axes.xy().step()).append(" * k pixels").append(volume ? ", the depth " + axes.z().step() + " * k planes" : "")
				.append(" (the `min`/`step` in `rdf.yaml`).\n");
		md.append("- Preprocessing `scale_range`, per ").append(volume ? "Z-stack, over all channels and voxels" : "image, over all channels and pixels")
				.append(" together: `x' = (x - p_low) / (p_high - p_low + ")
				.append(Yaml.scalar(eps)).append(")` with p_low, p_high the ").append(low).append(" and ").append(high)
				.append(" percentiles (linear interpolation, numpy's default). Imagify measures the same percentiles.\n");
		md.append("- `output`: same shape, in normalised units (p_low maps to 0, p_high to 1). To get the input's intensity units back,\n")
				.append("  compute `y * (p_high - p_low) + p_low` with the input's percentiles; Imagify Denoise does this itself. bioimage.io 0.5 has no\n")
				.append("  postprocessing step that inverts another tensor's percentile scaling (`scale_mean_variance` would match the\n")
				.append("  noisy input's spread, not undo the scaling), so none is declared.\n");
		if (volume)
			md.append("- Tiling: the network sees ").append(info.context()).append(" pixels around each output voxel in X and Y and ").append(info.contextZ())
					.append(" planes in Z; crop the `halo` of ").append(axes.xy().halo()).append(" pixels from each side of an output tile in X and Y and of ")
					.append(axes.z().halo()).append(" planes in Z.\n\n");
		else
			md.append("- Tiling: the network sees ").append(info.context()).append(" pixels around each output pixel; crop the `halo` of ")
					.append(axes.xy().halo()).append(" pixels from each side of an output tile.\n\n");
		md.append("## Training\n\n");
		md.append(training(info.training()));
		md.append("\n## Validation\n\n");
		md.append("While training, Imagify held out 10 % of the patch grid of the training images and kept the epoch with the lowest\n")
				.append("validation loss (mean squared error on normalised data").append(validationTarget(info.training() == null ? null : info.training().get("method")))
				.append("); the figures above are on that held-out set.\n");
		md.append("""
				`test_input.npy` and `test_output.npy` are an input in its own units and the network's output for it after the
				preprocessing above: bioimage.io tools check that the weights reproduce them.

				To validate quantitatively on unseen data, degrade clean images of your own the way the model was trained
				(see above) and compare the restorations with the clean images, e.g. with `Imagify Evaluate` in Fiji (PSNR
				and SSIM beside classical filters), or run the model in deepImageJ and measure against the ground truth.
				The model is only as good as its training data: check it on images like yours before relying on it.
				""");
		return md.toString();
	}

	/** What a self-supervised method's validation loss compares with: noisy values, so it is no PSNR against clean images. */
	private static String validationTarget(Object method) {
		if (method == null) return "";
		return switch (method.toString()) {
			case "noise2void" -> ", over masked pixels against their own noisy values";
			case "neighbor2neighbor" -> ", of a half-size sub-image against its noisy neighbouring sub-image";
			case "noise2noise" -> ", against the second noisy acquisition";
			default -> "";
		};
	}

	private static String degradation(Map<String, Object> m) {
		Object type = m.get("type");
		if (type == null) return "not recorded";
		if (type.equals("pairs")) return "the degradation in its training pairs of degraded and clean images";
		if (!DegradationSpec.TYPES.contains(type.toString())) // a self-supervised method's key: noise2void, noise2noise, neighbor2neighbor
			return "the noise of its training images, learnt from noisy images alone (" + type + ")";
		try {
			return DegradationSpec.fromMap(m).describe();
		} catch (IllegalArgumentException e) {
			return type.toString();
		}
	}

	private static String network(ModelInfo info) {
		Map<String, Object> n = info.network();
		if (n.isEmpty()) return "U-Net";
		return (Boolean.TRUE.equals(n.get("residual")) ? "residual " : "") + (info.is3d() ? "3D " : "") + "U-Net, depth " + whole(n.get("depth")) + ", "
				+ whole(n.get("base_filters")) + " base filters" + (!info.is3d() ? "" : info.poolsZ() ? ", pooling Z as X and Y" : ", pooling X and Y only");
	}

	private static String training(Map<String, Object> t) {
		String[][] rows = { { "method", "method" }, { "epochs", "epochs_done" }, { "best epoch", "best_epoch" }, { "patch size", "patch_size" }, { "batch size", "batch_size" },
				{ "steps per epoch", "steps_per_epoch" }, { "learning rate", "learning_rate" }, { "training planes", "planes" },
				{ "best validation loss (MSE, normalised)", "best_validation_loss" }, { "validation PSNR (dB, normalised data)", "validation_psnr_normalized" },
				{ "validation target", "validation_target" }, { "PSNR against the clean images (dB, normalised data)", "clean_psnr_normalized" },
				{ "training time (s)", "seconds" }, { "created", "created" }, { "Imagify version", "imagify_version" } };
		StringBuilder sb = new StringBuilder("| | |\n|---|---|\n");
		int n = 0;
		for (String[] r : rows)
			if (t.get(r[1]) != null) {
				sb.append("| ").append(r[0]).append(" | ").append(cell(t.get(r[1]))).append(" |\n");
				n++;
			}
		return n == 0 ? "Not recorded in the model file.\n" : sb.toString();
	}

	private static String cell(Object v) {
		if (v instanceof Number num) {
			double d = num.doubleValue();
			return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d)
					: new java.math.BigDecimal(String.format(java.util.Locale.ROOT, "%.4g", d)).stripTrailingZeros().toPlainString();
		}
		return String.valueOf(v).replace("|", "\\|").replace("\n", " ");
	}

	private static String whole(Object v) {
		return v instanceof Number num ? Long.toString(num.longValue()) : String.valueOf(v);
	}

	/** A notice naming the licence by its SPDX id; the full text is at the linked address. */
	static String license(String spdx, List<String> authors) {
		String url = spdx.equals("Apache-2.0") ? "https://www.apache.org/licenses/LICENSE-2.0" : "https://spdx.org/licenses/" + spdx + ".html";
		return "Copyright " + Year.now() + " " + String.join(", ", authors) + "\n\n"
				+ "This model (its weights, documentation and test data) is licensed under " + spdx + " (SPDX identifier).\n"
				+ "The full licence text: " + url + "\n";
	}
}
