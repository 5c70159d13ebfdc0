package io.github.imagify.train;

/** How training reports to its caller (a command's progress bar, log and plot; a test) and learns of a cancel. */
public interface TrainingListener {

	/** A line for the log. */
	default void log(String message) {}

	/** After each training batch: 1-based epoch and step, and the batch's loss. */
	default void iteration(int epoch, int step, int stepsPerEpoch, double loss) {}

	/** After each epoch's validation. */
	default void epochDone(EpochResult result) {}

	/** Polled between batches; true stops training after the current batch, keeping the best model written so far. */
	default boolean isCancelled() {
		return false;
	}

	TrainingListener SILENT = new TrainingListener() {};
}
