package io.github.imagify.restore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Part {@code index} (1-based) of {@code count} disjoint parts of a batch, for job arrays on a cluster.
 * A folder's files are sorted by file name (Java string order, whatever order the file system lists them
 * in) and dealt out in turn: file k (0-based) goes to part (k mod count) + 1. One image is split by tile rows.
 */
public record Shard(int index, int count) {

	private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,6})\\s*/\\s*(\\d{1,6})\\s*");

	public Shard {
		if (count < 1 || index < 1 || index > count)
			throw new IllegalArgumentException("shard must be i/n with 1 <= i <= n, got " + index + "/" + count);
	}

	/** "2/4" -> part 2 of 4. */
	public static Shard parse(String text) {
		Matcher m = FORM.matcher(text == null ? "" : text);
		if (!m.matches())
			throw new IllegalArgumentException("shard must be i/n, e.g. shard='2/4' for the 2nd of 4 parts, got '" + text + "'");
		return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
	}

	/** This part's items, each item named by {@code name} (names must differ); in name order. */
	public <T> List<T> select(List<T> items, Function<T, String> name) {
		List<T> sorted = new ArrayList<>(items);
		sorted.sort(Comparator.comparing(name));
		List<T> mine = new ArrayList<>();
		for (int k = index - 1; k < sorted.size(); k += count) mine.add(sorted.get(k));
		return mine;
	}

	@Override
	public String toString() {
		return index + "/" + count;
	}
}
