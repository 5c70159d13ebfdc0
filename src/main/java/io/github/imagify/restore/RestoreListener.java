package io.github.imagify.restore;

/** How restoring reports to its caller (a command's status bar and log, a test) and learns of a cancel. */
public interface RestoreListener {

	/** A line for the log: which model, which file, timings. */
	default void log(String message) {}

	/** Fraction of the current job done (0..1); return false to cancel. */
	default boolean progress(double fraction) {
		return true;
	}

	RestoreListener SILENT = new RestoreListener() {};
}
