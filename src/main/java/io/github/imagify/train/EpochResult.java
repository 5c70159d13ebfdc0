package io.github.imagify.train;

/**
 * Figures of one epoch. Losses are mean squared errors on normalised intensities (0..1 spans the
 * 1st..99.8th percentiles); the PSNR is computed from the validation MSE on that same scale.
 */
public record EpochResult(int epoch, int epochs, double trainLoss, double validationLoss, double validationPsnr,
		double learningRate, boolean best, double seconds) {}
