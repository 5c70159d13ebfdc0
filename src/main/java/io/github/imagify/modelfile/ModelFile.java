package io.github.imagify.modelfile;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;

import io.github.imagify.image.Normalization;
import io.github.imagify.io.AtomicFiles;

/**
 * Imagify's model file: one zip holding {@code model.onnx} (the network) and {@code imagify.json}
 * ({@link ModelInfo}). Reading it needs neither DL4J nor any code from the file: the metadata is plain
 * JSON read into known fields with size limits, the graph is handed to ONNX Runtime as bytes.
 */
public final class ModelFile {

	public static final String ONNX_ENTRY = "model.onnx";
	public static final String INFO_ENTRY = "imagify.json";
	static final long MAX_INFO_BYTES = 1 << 20;
	static final long MAX_ONNX_BYTES = 1L << 30;

	private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

	private final ModelInfo info;
	private final byte[] onnx;

	public ModelFile(ModelInfo info, byte[] onnx) {
		this.info = info;
		this.onnx = onnx;
	}

	public ModelInfo info() { return info; }
	/** The ONNX graph bytes (shared, do not modify). */
	public byte[] onnx() { return onnx; }

	/** Writes the model atomically: a crash leaves the old file or the new one, never half of one. */
	public void write(Path target) throws IOException {
		AtomicFiles.write(target, temp -> {
			try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(temp))) {
				zip.putNextEntry(new ZipEntry(INFO_ENTRY));
				zip.write(toJson(info).getBytes(StandardCharsets.UTF_8));
				zip.closeEntry();
				zip.putNextEntry(new ZipEntry(ONNX_ENTRY));
				zip.write(onnx);
				zip.closeEntry();
			}
		});
	}

	public static ModelFile read(Path path) throws IOException {
		if (!Files.exists(path))
			throw new NoSuchFileException(path.toString(), null, "model file not found; give the path of a model written by Imagify Train, or omit 'model' to use the bundled one");
		try (InputStream in = Files.newInputStream(path)) {
			return read(in, path.toString());
		}
	}

	/** Reads a model file from a stream; {@code source} names it in error messages. */
	public static ModelFile read(InputStream in, String source) throws IOException {
		byte[] infoBytes = null, onnxBytes = null;
		try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(in))) {
			for (ZipEntry e; (e = zip.getNextEntry()) != null;) {
				if (e.getName().equals(INFO_ENTRY)) infoBytes = readLimited(zip, MAX_INFO_BYTES, source, INFO_ENTRY);
				else if (e.getName().equals(ONNX_ENTRY)) onnxBytes = readLimited(zip, MAX_ONNX_BYTES, source, ONNX_ENTRY);
			}
		} catch (ZipException | java.io.EOFException e) {
			throw new IOException(source + " is not a readable Imagify model file (damaged or truncated zip: " + e.getMessage() + ")", e);
		}
		if (infoBytes == null || onnxBytes == null)
			throw new IOException(source + " is not an Imagify model file (it lacks " + (infoBytes == null ? INFO_ENTRY : ONNX_ENTRY)
					+ "); use a model written by Imagify Train");
		ModelInfo info;
		try {
			info = fromJson(new String(infoBytes, StandardCharsets.UTF_8));
		} catch (RuntimeException e) {
			throw new IOException(source + " has invalid metadata in " + INFO_ENTRY + ": " + e.getMessage(), e);
		}
		return new ModelFile(info, onnxBytes);
	}

	private static byte[] readLimited(InputStream in, long limit, String source, String entry) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buf = new byte[1 << 16];
		long total = 0;
		for (int n; (n = in.read(buf)) > 0;) {
			total += n;
			if (total > limit) throw new IOException(source + ": " + entry + " is larger than " + limit + " bytes; not an Imagify model file");
			out.write(buf, 0, n);
		}
		return out.toByteArray();
	}

	/** The metadata as written in {@value #INFO_ENTRY}. */
	public static String toJson(ModelInfo info) {
		JsonObject o = new JsonObject();
		o.addProperty("format", ModelInfo.FORMAT);
		o.addProperty("format_version", ModelInfo.FORMAT_VERSION);
		o.addProperty("name", info.name());
		o.addProperty("description", info.description());
		o.addProperty("channels", info.channels());
		o.addProperty("size_multiple", info.sizeMultiple());
		o.addProperty("context", info.context());
		JsonObject norm = new JsonObject();
		norm.addProperty("mode", "percentile");
		norm.addProperty("low_percentile", info.normalization().lowPercentile());
		norm.addProperty("high_percentile", info.normalization().highPercentile());
		o.add("normalization", norm);
		o.add("degradation", GSON.toJsonTree(new TreeMap<>(info.degradation())));
		o.add("network", GSON.toJsonTree(new TreeMap<>(info.network())));
		o.add("training", GSON.toJsonTree(new TreeMap<>(info.training())));
		return GSON.toJson(o);
	}

	static ModelInfo fromJson(String json) {
		JsonElement root;
		try {
			root = JsonParser.parseString(json);
		} catch (JsonParseException e) {
			throw new IllegalArgumentException("not JSON (" + e.getMessage() + ")");
		}
		if (!root.isJsonObject()) throw new IllegalArgumentException("not a JSON object");
		JsonObject o = root.getAsJsonObject();
		if (!ModelInfo.FORMAT.equals(string(o, "format")))
			throw new IllegalArgumentException("format is not '" + ModelInfo.FORMAT + "'");
		int version = integer(o, "format_version");
		if (version > ModelInfo.FORMAT_VERSION)
			throw new IllegalArgumentException("format version " + version + " is newer than this Imagify reads (" + ModelInfo.FORMAT_VERSION + "); update Imagify");
		JsonObject norm = object(o, "normalization");
		if (!"percentile".equals(string(norm, "mode")))
			throw new IllegalArgumentException("unknown normalization mode '" + string(norm, "mode") + "'");
		Normalization normalization = new Normalization(number(norm, "low_percentile"), number(norm, "high_percentile"));
		return new ModelInfo(string(o, "name"), o.has("description") ? string(o, "description") : "",
				integer(o, "channels"), integer(o, "size_multiple"), integer(o, "context"), normalization,
				map(o, "degradation"), map(o, "network"), map(o, "training"));
	}

	private static JsonElement field(JsonObject o, String key) {
		JsonElement e = o.get(key);
		if (e == null || e.isJsonNull()) throw new IllegalArgumentException("missing '" + key + "'");
		return e;
	}

	private static String string(JsonObject o, String key) {
		JsonElement e = field(o, key);
		if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) throw new IllegalArgumentException("'" + key + "' is not a string");
		return e.getAsString();
	}

	private static double number(JsonObject o, String key) {
		JsonElement e = field(o, key);
		if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) throw new IllegalArgumentException("'" + key + "' is not a number");
		return e.getAsDouble();
	}

	private static int integer(JsonObject o, String key) {
		double v = number(o, key);
		if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) throw new IllegalArgumentException("'" + key + "' is not an integer");
		return (int) v;
	}

	private static JsonObject object(JsonObject o, String key) {
		JsonElement e = field(o, key);
		if (!e.isJsonObject()) throw new IllegalArgumentException("'" + key + "' is not an object");
		return e.getAsJsonObject();
	}

	private static Map<String, Object> map(JsonObject o, String key) {
		if (!o.has(key)) return Map.of();
		return GSON.fromJson(object(o, key), new TypeToken<Map<String, Object>>() {}.getType());
	}
}
