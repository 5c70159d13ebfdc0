package io.github.imagify.modelfile;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;

import io.github.imagify.image.Normalization;
import io.github.imagify.io.AtomicFiles;
import io.github.imagify.model.UNetSpec;

/**
 * Imagify's model file: one zip holding {@code model.onnx} (the network) and {@code imagify.json}
 * ({@link ModelInfo}). Reading it needs neither DL4J nor any code from the file: the metadata is plain
 * JSON read strictly into known fields with size limits, and the graph is checked by {@link OnnxGraphCheck} before
 * ONNX Runtime sees it.
 */
public final class ModelFile {

	public static final String ONNX_ENTRY = "model.onnx";
	public static final String INFO_ENTRY = "imagify.json";
	static final long MAX_INFO_BYTES = 1 << 20;
	/** protobuf's limit, and so ONNX Runtime's, on one graph file. */
	static final long MAX_ONNX_BYTES = (1L << 31) - 1;
	static final long GRAPH_STRUCTURE_BYTES = 1 << 20;
	/** Limits on what is actually inflated, so a zip bomb or a flood of entries fails fast, whatever the headers claim. */
	static final long MAX_TOTAL_BYTES = MAX_ONNX_BYTES + 2 * MAX_INFO_BYTES;
	static final int MAX_ENTRIES = 64;
	/** Metadata limits: nesting depth, characters per string or number. */
	static final int MAX_DEPTH = 16, MAX_STRING = 64 << 10, MAX_NUMBER = 64;

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
		String source = path.toString();
		try (InputStream in = Files.newInputStream(path)) {
			byte[] head = in.readNBytes(2);
			if (head.length < 2 || head[0] != 'P' || head[1] != 'K')
				throw new IOException(source + " is not an Imagify model file (not a zip file); use a model written by Imagify Train");
		}
		ZipFile zip;
		try {
			zip = new ZipFile(path.toFile());
		} catch (ZipException e) {
			throw new IOException(source + " is not a readable Imagify model file (damaged or truncated zip: " + OnnxGraphCheck.oneLine(e.getMessage())
					+ "); use a model written by Imagify Train", e);
		}
		try (zip) {
			return read(zip, source);
		} catch (ZipException | java.io.EOFException | IllegalArgumentException e) {
			throw new IOException(source + " is not a readable Imagify model file (damaged or truncated zip: " + OnnxGraphCheck.oneLine(e.getMessage())
					+ "); use a model written by Imagify Train", e);
		}
	}

	/**
	 * A model file on disk, checked from its zip directory before anything large is inflated: the metadata
	 * first (at most {@value #MAX_INFO_BYTES} bytes), then the graph's declared size against what the network
	 * the metadata describes needs ({@link #graphBound}); a zip bomb is refused in milliseconds, not after
	 * inflating gigabytes. What is then inflated is counted too, in case the directory lies.
	 */
	private static ModelFile read(ZipFile zip, String source) throws IOException {
		if (zip.size() > MAX_ENTRIES)
			throw new IOException(source + " holds more than " + MAX_ENTRIES + " files; it is not an Imagify model file: use a model written by Imagify Train");
		ZipEntry infoEntry = zip.getEntry(INFO_ENTRY), onnxEntry = zip.getEntry(ONNX_ENTRY);
		if (infoEntry == null || onnxEntry == null)
			throw new IOException(source + " is not an Imagify model file (it lacks " + (infoEntry == null ? INFO_ENTRY : ONNX_ENTRY)
					+ "); use a model written by Imagify Train");
		declared(infoEntry, MAX_INFO_BYTES, source);
		long[] budget = { MAX_TOTAL_BYTES };
		byte[] infoBytes;
		try (InputStream in = zip.getInputStream(infoEntry)) {
			infoBytes = readLimited(in, MAX_INFO_BYTES, budget, source, INFO_ENTRY);
		}
		ModelInfo info = parse(infoBytes, source);
		long bound = graphBound(info);
		declared(onnxEntry, bound, source);
		try (InputStream in = zip.getInputStream(onnxEntry)) {
			return new ModelFile(info, readLimited(in, bound, budget, source, ONNX_ENTRY));
		}
	}

	/** Refuses an entry whose declared (uncompressed) size is unknown or beyond its bound. */
	private static void declared(ZipEntry entry, long bound, String source) throws IOException {
		if (entry.getSize() < 0 || entry.getSize() > bound)
			throw new IOException(source + ": " + entry.getName() + " declares " + entry.getSize() + " bytes, more than the " + bound
					+ " its network can need; the file is damaged or not an Imagify model: use a model written by Imagify Train");
	}

	/**
	 * The largest graph the metadata's network can have: 4 bytes a parameter plus the graph's structure
	 * (names, shapes, attributes: tens of kilobytes in practice). A network the metadata does not describe
	 * gets the bound of the largest file ONNX Runtime reads, {@value #MAX_ONNX_BYTES} bytes (the largest network
	 * Train accepts has more parameters than protobuf's 2 GiB allow, so that is also the largest it can write).
	 */
	static long graphBound(ModelInfo info) {
		try {
			// a 3D network's kernels hold at most 3 times the weights of the 2D ones its spec counts (3x3x3 against 3x3)
			long parameters = UNetSpec.fromMap(info.network()).parameterCount() * (info.is3d() ? 3 : 1);
			return Math.min(MAX_ONNX_BYTES, 4 * parameters + GRAPH_STRUCTURE_BYTES);
		} catch (IllegalArgumentException e) {
			return MAX_ONNX_BYTES;
		}
	}

	/**
	 * Reads a model file from a stream; {@code source} names it in error messages. The graph is only read
	 * here: {@link OnnxGraphCheck} checks it before ONNX Runtime loads it.
	 */
	public static ModelFile read(InputStream in, String source) throws IOException {
		byte[] infoBytes = null, onnxBytes = null;
		ModelInfo parsed = null;
		long[] budget = { MAX_TOTAL_BYTES };
		int entries = 0;
		try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(in))) {
			for (ZipEntry e; (e = zip.getNextEntry()) != null;) {
				if (++entries > MAX_ENTRIES)
					throw new IOException(source + " holds more than " + MAX_ENTRIES + " files; it is not an Imagify model file: use a model written by Imagify Train");
				String name = e.getName();
				boolean info = name.equals(INFO_ENTRY), onnx = name.equals(ONNX_ENTRY);
				if ((info && infoBytes != null) || (onnx && onnxBytes != null))
					throw new IOException(source + " holds " + name + " twice; it is damaged: use a model written by Imagify Train");
				// other entries are read too (getNextEntry would inflate them anyway), against the same budget; the graph,
				// written after the metadata, against what the metadata's network needs
				long limit = info ? MAX_INFO_BYTES : parsed != null ? graphBound(parsed) : MAX_ONNX_BYTES;
				byte[] data = readLimited(zip, limit, budget, source, info || onnx ? name : "a file in it");
				if (info) parsed = parse(infoBytes = data, source);
				if (onnx) onnxBytes = data;
			}
		} catch (ZipException | java.io.EOFException | IllegalArgumentException e) {
			// IllegalArgumentException: ZipInputStream's answer to entry names that are not valid UTF-8
			throw new IOException(source + " is not a readable Imagify model file (damaged or truncated zip: " + OnnxGraphCheck.oneLine(e.getMessage())
					+ "); use a model written by Imagify Train", e);
		}
		if (infoBytes == null || onnxBytes == null)
			throw new IOException(source + " is not an Imagify model file (it lacks " + (infoBytes == null ? INFO_ENTRY : ONNX_ENTRY)
					+ "); use a model written by Imagify Train");
		return new ModelFile(parsed, onnxBytes);
	}

	private static ModelInfo parse(byte[] infoBytes, String source) throws IOException {
		try {
			return fromJson(new String(infoBytes, StandardCharsets.UTF_8));
		} catch (IllegalArgumentException e) {
			String why = OnnxGraphCheck.oneLine(e.getMessage());
			throw new IOException(source + " has invalid metadata in " + INFO_ENTRY + ": " + why
					+ (why.contains("; ") ? "" : "; use a model written by Imagify Train"), e);
		}
	}

	/** Reads one entry, counting the bytes actually inflated against its limit and the file's whole budget. */
	private static byte[] readLimited(InputStream in, long limit, long[] budget, String source, String entry) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buf = new byte[1 << 16];
		long total = 0;
		for (int n; (n = in.read(buf)) > 0;) {
			total += n;
			budget[0] -= n;
			if (total > limit || budget[0] < 0)
				throw new IOException(source + ": " + entry + " is larger than an Imagify model file allows (" + Math.min(limit, MAX_TOTAL_BYTES)
						+ " bytes); use a model written by Imagify Train");
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
		JsonElement root = parseStrictly(json);
		if (!root.isJsonObject()) throw new IllegalArgumentException("not a JSON object");
		JsonObject o = root.getAsJsonObject();
		if (!ModelInfo.FORMAT.equals(string(o, "format")))
			throw new IllegalArgumentException("format is not '" + ModelInfo.FORMAT + "'");
		int version = integer(o, "format_version");
		if (version > ModelInfo.FORMAT_VERSION)
			throw new IllegalArgumentException("format version " + version + " is newer than this Imagify reads (" + ModelInfo.FORMAT_VERSION + "); update Imagify");
		JsonObject norm = object(o, "normalization");
		if (!"percentile".equals(string(norm, "mode")))
			throw new IllegalArgumentException("unknown normalization mode " + OnnxGraphCheck.q(string(norm, "mode")));
		Normalization normalization = new Normalization(number(norm, "low_percentile"), number(norm, "high_percentile"));
		return new ModelInfo(line(o, "name", 200), o.has("description") ? line(o, "description", 2000) : "",
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

	/** A string shown to people in messages and logs: one line, bounded. */
	private static String line(JsonObject o, String key, int max) {
		String s = string(o, key);
		if (s.length() > max || s.codePoints().anyMatch(Character::isISOControl))
			throw new IllegalArgumentException("'" + key + "' is longer than " + max + " characters or holds control characters");
		return s;
	}

	/**
	 * Strict JSON (no comments, NaN, unquoted names or trailing text, as Gson's lenient default allows), no repeated
	 * keys, no nulls, and bounded nesting, strings and numbers, so no metadata can exhaust the stack or the CPU.
	 */
	static JsonElement parseStrictly(String json) {
		try (JsonReader reader = new JsonReader(new StringReader(json))) {
			reader.setLenient(false);
			JsonElement root = value(reader, 0);
			if (reader.peek() != JsonToken.END_DOCUMENT) throw new MalformedJsonException("text after the JSON value");
			return root;
		} catch (IOException | IllegalStateException e) {
			throw new IllegalArgumentException("not valid JSON (" + OnnxGraphCheck.oneLine(e.getMessage()) + ")");
		}
	}

	private static JsonElement value(JsonReader r, int depth) throws IOException {
		if (depth > MAX_DEPTH) throw new IllegalArgumentException("JSON nested deeper than " + MAX_DEPTH + " levels");
		switch (r.peek()) {
			case BEGIN_OBJECT -> {
				JsonObject o = new JsonObject();
				r.beginObject();
				while (r.hasNext()) {
					String key = r.nextName();
					if (key.length() > MAX_STRING || o.has(key)) throw new IllegalArgumentException("key repeated or too long: " + OnnxGraphCheck.q(key));
					o.add(key, value(r, depth + 1));
				}
				r.endObject();
				return o;
			}
			case BEGIN_ARRAY -> {
				JsonArray a = new JsonArray();
				r.beginArray();
				while (r.hasNext()) a.add(value(r, depth + 1));
				r.endArray();
				return a;
			}
			case STRING -> {
				String s = r.nextString();
				if (s.length() > MAX_STRING) throw new IllegalArgumentException("a string is longer than " + MAX_STRING + " characters");
				return new JsonPrimitive(s);
			}
			case NUMBER -> {
				String s = r.nextString();
				double v = s.length() <= MAX_NUMBER ? Double.parseDouble(s) : Double.NaN;
				if (!Double.isFinite(v)) throw new IllegalArgumentException("number out of range: " + OnnxGraphCheck.q(s));
				return new JsonPrimitive(v);
			}
			case BOOLEAN -> {
				return new JsonPrimitive(r.nextBoolean());
			}
			default -> throw new IllegalArgumentException("unexpected " + r.peek() + " (null values are not used)");
		}
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
