package io.github.imagify.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.process.FloatProcessor;

class AtomicFilesTest {

	@TempDir
	Path dir;

	@Test
	void aFailedWriteKeepsTheOldFileAndLeavesNoTemporary() throws IOException {
		Path target = dir.resolve("out.txt");
		Files.writeString(target, "old");
		assertThrows(IOException.class, () -> AtomicFiles.write(target, temp -> {
			Files.writeString(temp, "half");
			throw new IOException("disk full");
		}));
		assertEquals("old", Files.readString(target));
		try (var files = Files.list(dir)) {
			assertEquals(1, files.count());
		}
		AtomicFiles.write(target, "new".getBytes());
		assertEquals("new", Files.readString(target));
	}

	@Test
	void missingFolderIsAClearError() {
		IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(dir.resolve("no/such/out.txt"), new byte[1]));
		assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
	}

	@Test
	void imagesRoundTripInTheirFormat() throws IOException {
		float[] px = { 0.5f, -3f, 1e6f, 42f };
		Path tif = dir.resolve("a.tif");
		ImageFiles.write(new ImagePlus("a", new FloatProcessor(2, 2, px.clone())), tif);
		assertArrayEquals(px, (float[]) ImageFiles.read(tif).getProcessor().getPixels());
		assertThrows(IOException.class, () -> ImageFiles.write(new ImagePlus("a", new FloatProcessor(1, 1)), dir.resolve("a.xyz")));
	}

	@Test
	void unreadableImagesGiveOneClearLine() throws IOException {
		Path fake = dir.resolve("fake.tif");
		Files.writeString(fake, "not a tiff");
		IOException e = assertThrows(IOException.class, () -> ImageFiles.read(fake));
		assertTrue(e.getMessage().startsWith("Cannot read"), e.getMessage());
		assertFalse(e.getMessage().contains("\n"));
		assertThrows(java.nio.file.NoSuchFileException.class, () -> ImageFiles.read(dir.resolve("missing.png")));
	}
}
