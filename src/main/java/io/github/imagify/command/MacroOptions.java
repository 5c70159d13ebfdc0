package io.github.imagify.command;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.scijava.ItemIO;
import org.scijava.plugin.Parameter;
import org.scijava.service.Service;

import ij.Macro;

/**
 * The keys an ImageJ macro passed to a command ({@code run("Imagify Denoise", "tile_size=256 model=...")}), checked
 * against the command's own: Fiji's legacy layer fills the inputs it knows and silently drops the rest, so a
 * misspelled key ran with the default. Our launcher refuses unknown keys the same way.
 */
final class MacroOptions {

	/** key, key=value, key=[value with spaces] */
	private static final Pattern OPTION = Pattern.compile("([^\\s=\\[\\]]+)(?:=(\\[[^\\]]*\\]|\\S*))?");

	private MacroOptions() {}

	/**
	 * Refuses macro options naming a key the command does not have, with the closest valid key.
	 *
	 * @param parent the thread that started this command's (Fiji runs a command on its own thread while the macro's
	 *            thread waits in {@code run()}), or null
	 * @throws IllegalArgumentException one line naming each unknown key, the closest valid one, and all valid keys
	 */
	static void check(Class<?> command, Thread parent) {
		String options = of(parent);
		if (options == null) return;
		List<String> valid = keys(command), unknown = new ArrayList<>();
		for (String key : keys(options))
			if (!valid.contains(key)) unknown.add("'" + key + "' (did you mean '" + closest(key, valid) + "'?)");
		if (!unknown.isEmpty())
			throw new IllegalArgumentException("unknown key" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
					+ " in the macro's options; valid keys: " + String.join(", ", valid));
	}

	/**
	 * The options of the macro call that runs this command, or null outside a macro. ImageJ keeps them per thread
	 * and gives them only to the macro's own thread; a command on another thread reads its parent's entry.
	 */
	static String of(Thread parent) {
		String own = Macro.getOptions();
		if (own != null || parent == null) return own;
		try {
			Field table = Macro.class.getDeclaredField("table");
			table.setAccessible(true);
			Object options = ((Hashtable<?, ?>) table.get(null)).get(parent);
			return options == null ? null : options.toString();
		} catch (ReflectiveOperationException | RuntimeException e) {
			return null; // another ImageJ: keys go unchecked, as before
		}
	}

	/** The keys of an options string, lower-cased as ImageJ matches them. */
	static List<String> keys(String options) {
		List<String> keys = new ArrayList<>();
		Matcher m = OPTION.matcher(options);
		while (m.find()) keys.add(m.group(1).toLowerCase(Locale.ROOT));
		return keys;
	}

	/** The command's input keys: its {@code @Parameter} fields that are neither services nor outputs. */
	static List<String> keys(Class<?> command) {
		TreeSet<String> keys = new TreeSet<>();
		for (Class<?> c = command; c != null && c != Object.class; c = c.getSuperclass())
			for (Field f : c.getDeclaredFields()) {
				Parameter p = f.getAnnotation(Parameter.class);
				if (p != null && p.type() != ItemIO.OUTPUT && !Service.class.isAssignableFrom(f.getType())
						&& !f.getType().getName().startsWith("org.scijava."))
					keys.add(f.getName());
			}
		return new ArrayList<>(keys);
	}

	/** The valid key with the smallest edit distance to {@code key}. */
	static String closest(String key, Collection<String> valid) {
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (String v : valid) {
			int d = distance(key, v);
			if (d < bestDistance) {
				best = v;
				bestDistance = d;
			}
		}
		return best;
	}

	/** Levenshtein distance. */
	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1], current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) previous[j] = j;
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++)
				current[j] = Math.min(Math.min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
			int[] t = previous;
			previous = current;
			current = t;
		}
		return previous[b.length()];
	}
}
