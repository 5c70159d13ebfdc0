package io.github.imagify.imagej.restore;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import ij.ImagePlus;
import ij.process.ByteProcessor;
import io.github.imagify.restore.Shard;

/** Denoise's key combinations are refused when the request is made, before any model loads or file is read. */
class RestorationTest {

	static final Path IN = Path.of("in"), OUT = Path.of("out");

	static String refusal(ImagePlus image, Path input, Path output, Shard shard, boolean stitch) {
		return assertThrows(IllegalArgumentException.class,
				() -> new Restoration.Request(image, input, output, "", 512, 0, 1, null, false, shard, stitch)).getMessage();
	}

	@Test
	void keyCombinationsThatCannotWorkAreRefused() {
		ImagePlus image = new ImagePlus("open", new ByteProcessor(8, 8));
		assertTrue(refusal(image, null, null, new Shard(1, 2), false).startsWith("shard works on files"));
		assertTrue(refusal(image, null, null, null, true).startsWith("stitch works on files"));
		assertTrue(refusal(null, IN, OUT, new Shard(1, 2), true).contains("leave out 'shard' in the stitch step"));
		assertTrue(refusal(null, null, null, null, false).startsWith("No image to restore"));
		assertTrue(refusal(null, IN, null, null, false).contains("'input' is set but 'output' is not"));
		assertDoesNotThrow(() -> new Restoration.Request(null, IN, OUT, "", 512, 0, 1, null, false, new Shard(1, 2), false));
		assertDoesNotThrow(() -> new Restoration.Request(image, null, null, "", 512, 0, 1, null, false, null, false));
	}
}
