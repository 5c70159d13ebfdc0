package io.github.imagify.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.testing.TestImages;

/** The launcher with Fiji's --run syntax: exit codes and files on disk. */
class MainTest {

	@TempDir
	Path dir;

	@Test
	void restoresAFolderWithTheBundledModel() throws Exception {
		Path in = Files.createDirectory(dir.resolve("in"));
		ImageFiles.write(new ImagePlus("a", TestImages.blobs(60, 56, 1)), in.resolve("a.png"));
		ImageFiles.write(new ImagePlus("b", TestImages.rgb(60, 56, 2)), in.resolve("b.tif"));
		Path out = dir.resolve("out");
		int code = Main.run(new String[] { "--run", "Imagify Denoise", "input='" + in + "',output='" + out + "'" });
		assertEquals(0, code);
		assertEquals(8, ImageFiles.read(out.resolve("a.png")).getBitDepth());
		assertEquals(ImagePlus.COLOR_RGB, ImageFiles.read(out.resolve("b.tif")).getType());
	}

	@Test
	void failuresExitNonZero() {
		assertEquals(1, Main.run(new String[] { "--run", "Imagify Denoise", "input='" + dir.resolve("missing.tif") + "',output='" + dir.resolve("o.tif") + "'" }));
		assertEquals(2, Main.run(new String[] { "--run", "No Such Command", "" }));
		assertEquals(2, Main.run(new String[] { "--run", "Imagify Denoise", "imput='x'" }));
		assertEquals(2, Main.run(new String[] { "--frobnicate" }));
		assertEquals(2, Main.run(new String[] { "--run", "Imagify Denoise", "input='a.tif',output='b.tif',tile_size='abc'" }));
		assertEquals(2, Main.run(new String[] { "--run", "Imagify Train", "images='a',model_out='b.zip',direct='maybe'" }));
		assertFalse(Files.exists(dir.resolve("o.tif")));
	}
}
