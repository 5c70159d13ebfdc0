package io.github.imagify.train;

/**
 * Figures of one epoch. Losses are mean squared errors on normalised intensities (0..1 spans the
 * 1st..99.8th percentiles); the PSNR is computed from the validation MSE on that same scale. For self-supervised
 * methods the validation loss compares with noisy targets (Noise2Void: only at the masked pixels), and
 * {@code referencePsnr} is the PSNR of the restored validation patches against the clean images the user gave (NaN
 * without them).
 */
public record EpochResult(int epoch, int epochs, double trainLoss, double validationLoss, double validationPsnr,
		double learningRate, boolean best, double seconds, double referencePsnr) {

	/** An epoch without a clean reference. */
	public EpochResult(int epoch, int epochs, double trainLoss, double validationLoss, double validationPsnr, double learningRate, boolean best,
			double seconds) {
		this(epoch, epochs, trainLoss, validationLoss, validationPsnr, learningRate, best, seconds, Double.NaN);
	}
}
