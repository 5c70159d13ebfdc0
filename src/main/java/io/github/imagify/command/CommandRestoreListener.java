package io.github.imagify.command;

import org.scijava.app.StatusService;
import org.scijava.log.LogService;

import io.github.imagify.restore.RestoreListener;

/** How restoring reports inside a command: log lines prefixed with the command's name, progress with time left, cancel. */
final class CommandRestoreListener implements RestoreListener {

	private final String task;
	private final LogService log;
	private final Progress progress;

	CommandRestoreListener(String task, StatusService status, LogService log) {
		this.task = task;
		this.log = log;
		this.progress = new Progress(task, status, log::info);
	}

	@Override
	public void log(String message) {
		log.info(task + ": " + message);
	}

	@Override
	public boolean progress(double fraction) {
		progress.update(fraction, null);
		return !Progress.cancelled();
	}
}
