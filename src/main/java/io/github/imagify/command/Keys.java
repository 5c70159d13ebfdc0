package io.github.imagify.command;

import java.nio.file.Path;

/** Reads the commands' text keys into the values their cores take. */
final class Keys {

	private Keys() {}

	/** A file or folder key: null when empty, which the core reports as not set where it needs one. */
	static Path path(String value) {
		return value == null || value.isBlank() ? null : Path.of(value.trim());
	}
}
