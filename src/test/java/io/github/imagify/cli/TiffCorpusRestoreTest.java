package io.github.imagify.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import io.github.imagify.io.ImageFiles;
import io.github.imagify.testing.LauncherRun;
import io.github.imagify.testing.TestModels;

/**
 * The TIFF corpus of other programs' files (see {@code TiffCorpusTest}) restored in file mode through the
 * launcher, as a user runs it on a folder: every file gets an output of its size and dimensions, and the
 * inputs stay byte-identical; a truncated copy fails with one line and writes nothing.
 */
class TiffCorpusRestoreTest {

	@TempDir
	Path dir;

	@Test
	void everyCorpusFileIsRestored() throws Exception {
		Path corpus = Path.of(getClass().getResource("/tiff-corpus/expected.tsv").toURI()).getParent();
		Path in = Files.createDirectory(dir.resolve("in")), out = dir.resolve("out"), model = dir.resolve("small.zip");
		List<Path> files;
		try (Stream<Path> s = Files.list(corpus)) {
			files = s.filter(p -> p.toString().endsWith(".tif")).sorted().toList();
		}
		for (Path f : files) Files.copy(f, in.resolve(f.getFileName()));
		TestModels.randomModel(1, 1, 4, 3).write(model); // a small receptive field: the corpus images are 40x30
		int code = Main.run(new String[] { "--run", "Imagify Denoise", "input='" + in + "',output='" + out + "',model='" + model + "'" });
		assertEquals(0, code, "the launcher restores the whole corpus");
		List<String> wrong = new ArrayList<>();
		for (Path f : files) {
			assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(in.resolve(f.getFileName())), "input untouched: " + f);
			Path restored = out.resolve(f.getFileName());
			if (!Files.isRegularFile(restored)) {
				wrong.add(f.getFileName() + ": no output");
				continue;
			}
			ImagePlus a = ImageFiles.read(f), b = ImageFiles.read(restored);
			if (!Arrays.equals(a.getDimensions(), b.getDimensions()))
				wrong.add(f.getFileName() + ": " + Arrays.toString(b.getDimensions()) + " from " + Arrays.toString(a.getDimensions()));
		}
		assertTrue(wrong.isEmpty(), String.join("\n", wrong));
	}

	@Test
	void aTruncatedCorpusFileFailsWithOneLineAndWritesNothing() throws Exception {
		Path corpus = Path.of(getClass().getResource("/tiff-corpus/expected.tsv").toURI()).getParent();
		Path out = Files.createDirectory(dir.resolve("out"));
		for (String name : List.of("tiffcp_rgb8_lzw.tif", "tifffile_grey16_bigtiff.tif", "tifffile_stack16.tif")) {
			byte[] b = Files.readAllBytes(corpus.resolve(name));
			Path bad = dir.resolve(name);
			Files.write(bad, Arrays.copyOf(b, b.length * 2 / 3));
			LauncherRun.assertFailsWithOneLine("Imagify Denoise", "input='" + bad + "',output='" + out.resolve(name) + "'", "truncated");
		}
		try (Stream<Path> s = Files.list(out)) {
			assertEquals(List.of(), s.toList());
		}
	}
}
