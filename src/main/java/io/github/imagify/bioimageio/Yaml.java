package io.github.imagify.bioimageio;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Writes a tree of maps, lists, strings, numbers and booleans as block-style YAML. Every string is
 * double-quoted with escapes, so no value can turn into a number, a boolean, a date or a null by accident
 * (YAML 1.1 and 1.2 read the text the same way); keys are our own identifiers and stay plain.
 */
final class Yaml {

	private Yaml() {}

	static String write(Map<String, ?> root) {
		StringBuilder sb = new StringBuilder();
		map(sb, root, 0, false);
		return sb.toString();
	}

	/** {@code onDashLine}: the first key follows a list item's "- " on the same line. */
	private static void map(StringBuilder sb, Map<String, ?> m, int indent, boolean onDashLine) {
		boolean first = true;
		for (Map.Entry<String, ?> e : m.entrySet()) {
			if (!(first && onDashLine)) pad(sb, indent);
			first = false;
			key(sb, e.getKey());
			value(sb, e.getValue(), indent);
		}
	}

	/** Writes what follows "key:": a scalar on the same line, or a block below it. */
	private static void value(StringBuilder sb, Object v, int indent) {
		if (v instanceof Map<?, ?> m && !m.isEmpty()) {
			sb.append('\n');
			map(sb, cast(m), indent + 2, false);
		} else if (v instanceof List<?> l && !l.isEmpty()) {
			sb.append('\n');
			for (Object item : l) {
				pad(sb, indent + 2);
				sb.append("- ");
				if (item instanceof Map<?, ?> m && !m.isEmpty()) map(sb, cast(m), indent + 4, true);
				else sb.append(scalar(item)).append('\n');
			}
		} else {
			sb.append(' ').append(scalar(v)).append('\n');
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, ?> cast(Map<?, ?> m) {
		return (Map<String, ?>) m;
	}

	private static void key(StringBuilder sb, String key) {
		if (!key.matches("[a-z_][a-z0-9_]*")) throw new IllegalArgumentException("not a plain YAML key: " + key);
		sb.append(key).append(':');
	}

	private static void pad(StringBuilder sb, int n) {
		sb.append(" ".repeat(n));
	}

	static String scalar(Object v) {
		if (v instanceof Map<?, ?>) return "{}";
		if (v instanceof List<?>) return "[]";
		if (v instanceof Boolean b) return b.toString();
		if (v instanceof Integer || v instanceof Long) return v.toString();
		if (v instanceof Number n) {
			double d = n.doubleValue();
			if (!Double.isFinite(d)) throw new IllegalArgumentException("not a finite number: " + d);
			// plain digits with a point: "1e-6" or "1.0E10" would be strings to a YAML 1.1 reader
			String s = BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
			return s.contains(".") ? s : s + ".0";
		}
		if (v instanceof String s) return quote(s);
		throw new IllegalArgumentException("cannot write " + (v == null ? "null" : v.getClass().getSimpleName()) + " as YAML");
	}

	static String quote(String s) {
		StringBuilder sb = new StringBuilder("\"");
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
				case '"' -> sb.append("\\\"");
				case '\\' -> sb.append("\\\\");
				case '\n' -> sb.append("\\n");
				case '\t' -> sb.append("\\t");
				case '\r' -> sb.append("\\r");
				default -> {
					// control characters and the few YAML treats as line breaks, escaped
					if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029 || c == 0xfeff || Character.isSurrogate(c) && !validPair(s, i))
						sb.append(String.format("\\u%04x", (int) c));
					else sb.append(c);
				}
			}
		}
		return sb.append('"').toString();
	}

	private static boolean validPair(String s, int i) {
		char c = s.charAt(i);
		if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
		return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
	}
}
