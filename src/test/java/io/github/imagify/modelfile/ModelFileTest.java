package io.github.imagify.modelfile;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.imagify.image.Normalization;
import io.github.imagify.model.UNetSpec;

class ModelFileTest {

	@TempDir
	Path dir;

	static ModelInfo info() {
		return new ModelInfo("m", "a test", 3, 8, 51, new Normalization(2, 99), Map.of("type", "gaussian_noise", "noise_sigma_max", 55.0),
				Map.of("depth", 3.0), Map.of("epochs", 4.0, "best_validation_loss", 0.001));
	}

	@Test
	void writesAndReadsBackEverything() throws IOException {
		byte[] onnx = { 1, 2, 3, 4 };
		Path file = dir.resolve("m.zip");
		new ModelFile(info(), onnx).write(file);
		ModelFile back = ModelFile.read(file);
		assertArrayEquals(onnx, back.onnx());
		assertEquals(info(), back.info());
		try (var files = Files.list(dir)) {
			assertEquals(1, files.count(), "no temporary file is left behind");
		}
	}

	@Test
	void rejectsFilesThatAreNotOurs() throws IOException {
		Path text = dir.resolve("notes.zip");
		Files.writeString(text, "hello");
		IOException e = assertThrows(IOException.class, () -> ModelFile.read(text));
		assertTrue(e.getMessage().contains("not an Imagify model"), e.getMessage());

		Path onlyOnnx = zip("only.zip", Map.of(ModelFile.ONNX_ENTRY, new byte[] { 1 }));
		assertTrue(assertThrows(IOException.class, () -> ModelFile.read(onlyOnnx)).getMessage().contains("lacks imagify.json"));

		Path wrongFormat = zip("wrong.zip", Map.of(ModelFile.ONNX_ENTRY, new byte[] { 1 }, ModelFile.INFO_ENTRY,
				"{\"format\":\"other\"}".getBytes(StandardCharsets.UTF_8)));
		assertTrue(assertThrows(IOException.class, () -> ModelFile.read(wrongFormat)).getMessage().contains("format"));

		Path badJson = zip("bad.zip", Map.of(ModelFile.ONNX_ENTRY, new byte[] { 1 }, ModelFile.INFO_ENTRY, "{".getBytes(StandardCharsets.UTF_8)));
		assertTrue(assertThrows(IOException.class, () -> ModelFile.read(badJson)).getMessage().contains("invalid metadata"));

		assertThrows(java.nio.file.NoSuchFileException.class, () -> ModelFile.read(dir.resolve("missing.zip")));
	}

	/**
	 * A zip bomb: a small file whose model.onnx declares gigabytes. It is refused from the zip directory's
	 * declared size, by name, before anything is inflated (inflating would find 4 kB and say something else).
	 */
	@Test
	void aGraphDeclaredLargerThanItsNetworkIsRefusedBeforeInflating() throws IOException {
		UNetSpec spec = UNetSpec.defaults(1);
		ModelInfo info = new ModelInfo("m", "", 1, spec.sizeMultiple(), spec.receptiveFieldRadius(), info().normalization(), Map.of(), spec.toMap(), Map.of());
		Path file = dir.resolve("bomb.zip");
		byte[] junk = new byte[4096];
		new java.util.Random(1).nextBytes(junk);
		new ModelFile(info, junk).write(file);
		long declared = 3L << 30;
		setDeclaredSize(file, ModelFile.ONNX_ENTRY, declared);
		IOException e = assertThrows(IOException.class, () -> ModelFile.read(file));
		assertTrue(e.getMessage().contains("model.onnx declares " + declared + " bytes, more than the " + ModelFile.graphBound(info)), e.getMessage());
		assertTrue(ModelFile.graphBound(info) < 4 * spec.parameterCount() + (2 << 20), "the bound follows the network: " + ModelFile.graphBound(info));

		// the same file declaring its true size is read, and a graph that inflates beyond the bound while declaring less is cut off
		new ModelFile(info, junk).write(file);
		assertArrayEquals(junk, ModelFile.read(file).onnx());
		new ModelFile(info, new byte[(int) ModelFile.graphBound(info) + 1]).write(file);
		setDeclaredSize(file, ModelFile.ONNX_ENTRY, 1000);
		assertThrows(IOException.class, () -> ModelFile.read(file));
	}

	/** Rewrites an entry's uncompressed size in the zip's central directory (and its local header, where it is stored). */
	static void setDeclaredSize(Path zip, String entry, long size) throws IOException {
		byte[] b = Files.readAllBytes(zip);
		java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
		byte[] name = entry.getBytes(StandardCharsets.UTF_8);
		for (int i = 0; i + 46 < b.length; i++)
			if (buf.getInt(i) == 0x02014b50 && buf.getShort(i + 28) == name.length
					&& java.util.Arrays.equals(java.util.Arrays.copyOfRange(b, i + 46, i + 46 + name.length), name))
				buf.putInt(i + 24, (int) Math.min(size, 0xfffffffeL));
		Files.write(zip, b);
	}

	@Test
	void rejectsTruncatedFiles() throws IOException {
		Path file = dir.resolve("m.zip");
		new ModelFile(info(), new byte[5000]).write(file);
		byte[] all = Files.readAllBytes(file);
		Path cut = dir.resolve("cut.zip");
		Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
		assertThrows(IOException.class, () -> ModelFile.read(cut));
	}

	@Test
	void metadataWithWrongTypesIsRejected() {
		String json = ModelFile.toJson(info()).replace("\"channels\": 3", "\"channels\": \"three\"");
		assertThrows(IllegalArgumentException.class, () -> ModelFile.fromJson(json));
		String newer = ModelFile.toJson(info()).replace("\"format_version\": 1", "\"format_version\": 99");
		assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelFile.fromJson(newer)).getMessage().contains("update Imagify"));
	}

	private Path zip(String name, Map<String, byte[]> entries) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
			for (var e : entries.entrySet()) {
				zip.putNextEntry(new ZipEntry(e.getKey()));
				zip.write(e.getValue());
				zip.closeEntry();
			}
		}
		Path p = dir.resolve(name);
		Files.write(p, bytes.toByteArray());
		return p;
	}
}
