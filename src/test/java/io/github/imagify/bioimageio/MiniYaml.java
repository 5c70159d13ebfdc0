package io.github.imagify.bioimageio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the block-YAML subset {@link Yaml} writes (maps, lists, double-quoted strings, numbers, booleans,
 * {@code []} and {@code {}}) and fails on anything else, so tests check the structure, not a text pattern.
 */
final class MiniYaml {

	private static final Pattern KEY = Pattern.compile("([a-z_][a-z0-9_]*):(?: (.*))?");

	private final List<String> lines = new ArrayList<>();
	private int next;

	private MiniYaml(String text) {
		for (String l : text.split("\n", -1))
			if (!l.isBlank()) {
				if (l.contains("\t")) throw new IllegalArgumentException("tab in YAML: " + l);
				lines.add(l);
			}
	}

	static Map<String, Object> parse(String text) {
		MiniYaml y = new MiniYaml(text);
		Object root = y.block(0);
		if (y.next != y.lines.size()) throw new IllegalArgumentException("unparsed line: " + y.lines.get(y.next));
		if (!(root instanceof Map)) throw new IllegalArgumentException("the document is not a map");
		@SuppressWarnings("unchecked")
		Map<String, Object> m = (Map<String, Object>) root;
		return m;
	}

	private static int indent(String l) {
		int i = 0;
		while (i < l.length() && l.charAt(i) == ' ') i++;
		return i;
	}

	private Object block(int indent) {
		String l = lines.get(next);
		if (indent(l) != indent) throw new IllegalArgumentException("bad indentation: " + l);
		return l.startsWith("- ", indent) ? list(indent) : map(indent);
	}

	private Map<String, Object> map(int indent) {
		Map<String, Object> m = new LinkedHashMap<>();
		while (next < lines.size() && indent(lines.get(next)) == indent && !lines.get(next).startsWith("- ", indent)) {
			Matcher k = KEY.matcher(lines.get(next).substring(indent));
			if (!k.matches()) throw new IllegalArgumentException("not a key line: " + lines.get(next));
			next++;
			Object v;
			if (k.group(2) != null) v = scalar(k.group(2));
			else if (next < lines.size() && indent(lines.get(next)) > indent) v = block(indent(lines.get(next)));
			else throw new IllegalArgumentException("key without value: " + k.group(1));
			if (m.put(k.group(1), v) != null) throw new IllegalArgumentException("duplicate key: " + k.group(1));
		}
		if (next < lines.size() && indent(lines.get(next)) > indent) throw new IllegalArgumentException("bad indentation: " + lines.get(next));
		return m;
	}

	private List<Object> list(int indent) {
		List<Object> list = new ArrayList<>();
		while (next < lines.size() && indent(lines.get(next)) == indent && lines.get(next).startsWith("- ", indent)) {
			String item = lines.get(next).substring(indent + 2);
			if (KEY.matcher(item).matches()) {
				// a map whose first key follows the dash: read it as if the key stood on its own line
				lines.set(next, " ".repeat(indent + 2) + item);
				list.add(map(indent + 2));
			} else {
				list.add(scalar(item));
				next++;
			}
		}
		return list;
	}

	static Object scalar(String s) {
		if (s.equals("[]")) return List.of();
		if (s.equals("{}")) return Map.of();
		if (s.equals("true") || s.equals("false")) return Boolean.valueOf(s);
		if (s.matches("-?[0-9]+")) return Long.parseLong(s);
		if (s.matches("-?[0-9]+\\.[0-9]+")) return Double.parseDouble(s);
		if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) return unquote(s.substring(1, s.length() - 1));
		throw new IllegalArgumentException("unexpected plain scalar: " + s);
	}

	private static String unquote(String s) {
		StringBuilder sb = new StringBuilder();
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c == '"') throw new IllegalArgumentException("unescaped quote in " + s);
			if (c != '\\') {
				sb.append(c);
				continue;
			}
			char e = s.charAt(++i);
			switch (e) {
				case 'n' -> sb.append('\n');
				case 't' -> sb.append('\t');
				case 'r' -> sb.append('\r');
				case '"' -> sb.append('"');
				case '\\' -> sb.append('\\');
				case 'u' -> {
					sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
					i += 4;
				}
				default -> throw new IllegalArgumentException("unknown escape \\" + e);
			}
		}
		return sb.toString();
	}
}
