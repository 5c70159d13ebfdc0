package io.github.imagify.command;

import java.util.function.Consumer;

import org.scijava.app.StatusService;

import ij.IJ;

/**
 * Progress with time remaining, where the user can see it: Fiji's status bar (which prints nothing headless)
 * and, at most every {@link #LOG_INTERVAL_NANOS}, a log line (what a headless or cluster run shows).
 * Also the commands' cancel test: the thread was interrupted, or Esc was pressed in ImageJ.
 */
final class Progress {

	static final long LOG_INTERVAL_NANOS = 15_000_000_000L;

	private final String task;
	private final StatusService status;
	private final Consumer<String> log;
	private final long start = System.nanoTime();
	private long lastLog = start;

	Progress(String task, StatusService status, Consumer<String> log) {
		this.task = task;
		this.status = status;
		this.log = log;
	}

	/** {@code fraction} of the whole job is done; {@code detail} says where (e.g. "epoch 3/20, loss 0.0031"). */
	void update(double fraction, String detail) {
		double f = Math.max(0, Math.min(1, fraction));
		long now = System.nanoTime();
		String message = task + ": " + Math.round(f * 100) + " %" + (detail == null || detail.isEmpty() ? "" : ", " + detail)
				+ remaining(f, now - start);
		status.showStatus((int) Math.round(f * 1000), 1000, message);
		if (now - lastLog >= LOG_INTERVAL_NANOS && f < 1) {
			lastLog = now;
			log.accept(message);
		}
	}

	/** ", about 2 min 10 s left" once there is enough progress to extrapolate from. */
	static String remaining(double fraction, long elapsedNanos) {
		if (fraction < 0.01 || elapsedNanos < 2_000_000_000L || fraction >= 1) return "";
		return ", about " + duration((long) (elapsedNanos / 1e9 * (1 - fraction) / fraction)) + " left";
	}

	static String duration(long seconds) {
		if (seconds < 60) return seconds + " s";
		if (seconds < 3600) return seconds / 60 + " min " + seconds % 60 + " s";
		return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
	}

	/** True when the user cancelled: the command's thread was interrupted, or Esc was pressed in ImageJ. */
	static boolean cancelled() {
		return Thread.currentThread().isInterrupted() || (IJ.getInstance() != null && IJ.escapePressed());
	}
}
