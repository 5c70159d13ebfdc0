// Measure a model on clean images: add Gaussian noise of each sigma, restore, and report PSNR/SSIM per image
// and the mean, beside classic filters (Gaussian, median, non-local means) measured in the same run.
// Headless:  ImageJ-linux64 --headless -batch macros/evaluate_model.ijm "/path/clean,/path/results[,model]"
// The model is optional: empty uses the bundled denoiser that fits the images' channels.
args = split(getArgument(), ",");
if (args.length < 2) exit("Usage: evaluate_model.ijm \"<clean folder or file>,<results folder>[,<model>]\"");
clean = args[0];
results = args[1];
model = "";
if (args.length > 2) model = args[2];
File.makeDirectory(results);
sigmas = newArray(15, 25, 50);
for (s = 0; s < sigmas.length; s++) {
	csv = results + "/scores-sigma" + sigmas[s] + ".csv";
	run("Imagify Evaluate", "images=[" + clean + "] model=[" + model + "] degradation=gaussian_noise noise_sigma=" + sigmas[s]
		+ " seed=7 compare=true output=[" + csv + "]");
	// Fiji's launcher exits 0 even when a command failed: check that the output exists.
	if (!File.exists(csv)) exit("Imagify Evaluate wrote no " + csv + "; see the log");
	// The system results table holds one row per image and a last "mean" row.
	last = nResults - 1;
	print("sigma " + sigmas[s] + ": noisy " + d2s(getResult("degraded_psnr", last), 2) + " dB, Imagify "
		+ d2s(getResult("imagify_psnr", last), 2) + " dB, non-local means " + d2s(getResult("nlm_psnr", last), 2) + " dB");
}
