package io.github.imagify.modelfile;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.imagify.image.FloatImage;
import io.github.imagify.restore.Restorer;
import io.github.imagify.testing.Fuzz;
import io.github.imagify.testing.TestModels;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.ValueInfoProto;

/**
 * Untrusted model files: mutated zips, graphs and metadata (fixed seeds) must each load a model that restores,
 * or fail with one clean line; never an Error, a stray RuntimeException, a hang, or a crash inside ONNX Runtime.
 * Before {@link OnnxGraphCheck}, rewiring a ConvTranspose's kernel to a bias vector crashed the JVM (SIGSEGV).
 */
class ModelFileFuzzTest {

	static ModelFile model;
	static byte[] zip;
	static Fuzz fuzz;

	@BeforeAll
	static void model() throws IOException {
		model = TestModels.randomModel(1, 2, 4, 1);
		zip = zip(Map.of(ModelFile.INFO_ENTRY, ModelFile.toJson(model.info()).getBytes(StandardCharsets.UTF_8), ModelFile.ONNX_ENTRY, model.onnx()));
		fuzz = new Fuzz();
	}

	@AfterAll
	static void close() {
		fuzz.close();
	}

	@Test
	void theUnmutatedModelLoadsAndRestores() {
		assertNotNull(fuzz.run("original", () -> loadAndRestore(zip)));
	}

	@Test
	void mutatedZips() {
		Random r = new Random(1);
		for (int i = 0; i < 400; i++) {
			byte[] b = Fuzz.mutate(zip, r, 200);
			fuzz.run("zip case " + i, () -> loadAndRestore(b));
		}
	}

	@Test
	void mutatedGraphBytesThatReachOnnxRuntime() {
		Random r = new Random(2);
		for (int i = 0; i < 300; i++) {
			byte[] onnx = Fuzz.mutate(model.onnx(), r, 3000); // the graph's structure precedes most weights
			fuzz.run("graph bytes case " + i, () -> loadAndRestore(withGraph(onnx)));
		}
	}

	@Test
	void mutatedGraphStructure() throws Exception {
		Random r = new Random(3);
		for (int i = 0; i < 500; i++) {
			byte[] onnx = structured(model.onnx(), r);
			fuzz.run("graph structure case " + i, () -> loadAndRestore(withGraph(onnx)));
		}
	}

	@Test
	void mutatedMetadata() {
		Random r = new Random(4);
		String json = ModelFile.toJson(model.info());
		for (int i = 0; i < 500; i++) {
			String mutated = mutateJson(json, r);
			fuzz.run("metadata case " + i + ": " + abbreviate(mutated), () -> loadAndRestore(zip(Map.of(ModelFile.INFO_ENTRY,
					mutated.getBytes(StandardCharsets.UTF_8), ModelFile.ONNX_ENTRY, model.onnx()))));
		}
	}

	/** Loads, then restores a small image: both must work or fail cleanly. Returns the restored image. */
	static FloatImage loadAndRestore(byte[] file) throws Exception {
		ModelFile m = ModelFile.read(new ByteArrayInputStream(file), "fuzz.zip");
		try (Restorer restorer = new Restorer(m, 32, 1)) {
			FloatImage img = new FloatImage(m.info().channels(), 44, 52);
			for (int k = 0; k < img.data().length; k++) img.data()[k] = k % 7;
			FloatImage out = restorer.restore(img, null);
			assertTrue(out.sameShape(img));
			return out;
		}
	}

	static byte[] withGraph(byte[] onnx) throws IOException {
		return zip(Map.of(ModelFile.INFO_ENTRY, ModelFile.toJson(model.info()).getBytes(StandardCharsets.UTF_8), ModelFile.ONNX_ENTRY, onnx));
	}

	static byte[] zip(Map<String, byte[]> entries) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream z = new ZipOutputStream(bytes)) {
			for (var e : new java.util.TreeMap<>(entries).entrySet()) {
				z.putNextEntry(new ZipEntry(e.getKey()));
				z.write(e.getValue());
				z.closeEntry();
			}
		}
		return bytes.toByteArray();
	}

	private static final String[] VALUES = { "0", "-1", "1", "3", "1.5", "1e308", "1e999", "-1e999", "99999999999999999999999", "2147483648",
			"NaN", "Infinity", "null", "true", "\"\"", "\"x\"", "[]", "{}", "[1,2]", "{\"a\":1}", "\"\\u0000\\n\"", "01", "-" };

	/** Replaces a value, deletes or repeats a key, nests deeply, inserts long strings, or damages the text. */
	static String mutateJson(String json, Random r) {
		int at = r.nextInt(json.length());
		int colon = json.indexOf(':', at);
		switch (r.nextInt(8)) {
			case 0, 1, 2 -> { // replace one value
				if (colon < 0) return json;
				int end = colon + 1;
				while (end < json.length() && ",}\n".indexOf(json.charAt(end)) < 0) end++;
				return json.substring(0, colon + 1) + " " + VALUES[r.nextInt(VALUES.length)] + json.substring(end);
			}
			case 3 -> { // deep nesting, where a value or at the top
				int depth = r.nextBoolean() ? 20 : 100_000;
				String nested = "[".repeat(depth) + "]".repeat(depth);
				return colon < 0 ? nested : json.substring(0, colon + 1) + nested + json.substring(json.indexOf(',', colon) < 0 ? json.length() : json.indexOf(',', colon));
			}
			case 4 -> { // a long string value, or a long number
				String big = r.nextBoolean() ? "\"" + "a".repeat(100_000 + r.nextInt(2_000_000)) + "\"" : "1" + "0".repeat(100_000);
				return colon < 0 ? json : json.substring(0, colon + 1) + big + json.substring(json.indexOf(',', colon) < 0 ? json.length() : json.indexOf(',', colon));
			}
			case 5 -> { // a repeated key
				int line = json.indexOf("\n  \"", at);
				return line < 0 ? json : json.substring(0, line) + "\n  \"channels\": 3," + json.substring(line);
			}
			case 6 -> { // truncated
				return json.substring(0, at);
			}
			default -> { // a character changed
				char[] c = json.toCharArray();
				String chars = "{}[]\",:0aZ\\ \u0000\u00e9";
				c[at] = chars.charAt(r.nextInt(chars.length()));
				return new String(c);
			}
		}
	}

	private static final long[] NUMBERS = { 0, -1, 1, 2, 3, 7, 1000, 1L << 20, 1L << 31, Long.MAX_VALUE, Long.MIN_VALUE, -1000 };
	private static final String[] OPS = { "Conv", "ConvTranspose", "MaxPool", "Relu", "Concat", "Mul", "Add", "Sub", "Identity", "Resize",
			"Loop", "Reshape", "Upsample", "AveragePool", "Gemm", "Foo" };

	/** Well-formed graphs that are wrong: attributes, dims, operators, shapes, wiring, weights, versions (one or more changes). */
	static byte[] structured(byte[] src, Random r) throws Exception {
		ModelProto.Builder m = ModelProto.parseFrom(src).toBuilder();
		GraphProto.Builder g = m.getGraphBuilder();
		if (g.getNodeCount() == 0) return src;
		switch (r.nextInt(7)) {
			case 0 -> { // an attribute's values
				NodeProto.Builder node = g.getNodeBuilder(r.nextInt(g.getNodeCount()));
				if (node.getAttributeCount() == 0) break;
				AttributeProto.Builder a = node.getAttributeBuilder(r.nextInt(node.getAttributeCount()));
				if (a.getIntsCount() > 0) a.setInts(r.nextInt(a.getIntsCount()), pick(r));
				else a.setI(pick(r));
				if (r.nextInt(4) == 0) {
					a.clearInts();
					for (int k = r.nextInt(6); k > 0; k--) a.addInts(pick(r));
				}
			}
			case 1 -> { // a weight's dims
				TensorProto.Builder t = g.getInitializerBuilder(r.nextInt(g.getInitializerCount()));
				if (t.getDimsCount() > 0 && r.nextBoolean()) t.setDims(r.nextInt(t.getDimsCount()), pick(r));
				else t.addDims(pick(r));
			}
			case 2 -> g.getNodeBuilder(r.nextInt(g.getNodeCount())).setOpType(OPS[r.nextInt(OPS.length)]);
			case 3 -> { // the input's or output's declared shape or type
				ValueInfoProto.Builder v = r.nextBoolean() ? g.getInputBuilder(0) : g.getOutputBuilder(0);
				TensorShapeProto.Builder shape = v.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
				int k = r.nextInt(3);
				if (k == 0 && shape.getDimCount() > 0) shape.removeDim(r.nextInt(shape.getDimCount()));
				else if (k == 1 || shape.getDimCount() == 0) shape.addDimBuilder().setDimValue(pick(r));
				else shape.getDimBuilder(r.nextInt(shape.getDimCount())).setDimValue(pick(r));
				if (r.nextInt(5) == 0) v.getTypeBuilder().getTensorTypeBuilder().setElemType(r.nextInt(20));
			}
			case 4 -> { // rewire an input to another tensor (this crashed ONNX Runtime: a bias as a ConvTranspose kernel)
				NodeProto.Builder node = g.getNodeBuilder(r.nextInt(g.getNodeCount()));
				String other = r.nextBoolean() ? g.getNode(r.nextInt(g.getNodeCount())).getOutput(0)
						: g.getInitializer(r.nextInt(g.getInitializerCount())).getName();
				if (node.getInputCount() > 0) node.setInput(r.nextInt(node.getInputCount()), other);
			}
			case 5 -> { // a weight's data length or type
				TensorProto.Builder t = g.getInitializerBuilder(r.nextInt(g.getInitializerCount()));
				if (r.nextBoolean()) t.setRawData(t.getRawData().substring(0, r.nextInt(t.getRawData().size() + 1)));
				else t.setDataType(r.nextInt(20));
			}
			default -> {
				int k = r.nextInt(3);
				if (k == 0) m.setOpsetImport(0, m.getOpsetImport(0).toBuilder().setVersion(pick(r)));
				else if (k == 1) m.setIrVersion(pick(r));
				else g.removeNode(r.nextInt(g.getNodeCount()));
			}
		}
		byte[] out = m.build().toByteArray();
		return r.nextInt(3) == 0 ? structured(out, r) : out;
	}

	private static long pick(Random r) {
		return NUMBERS[r.nextInt(NUMBERS.length)];
	}

	private static String abbreviate(String s) {
		s = s.replaceAll("\\s+", " ");
		return s.length() > 120 ? s.substring(0, 120) + "..." : s;
	}
}
