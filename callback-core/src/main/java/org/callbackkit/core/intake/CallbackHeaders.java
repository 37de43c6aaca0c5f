package org.callbackkit.core.intake;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Immutable HTTP header multi-map whose names are compared case-insensitively, as HTTP requires
 * ({@code Content-Type}, {@code content-type} and {@code CONTENT-TYPE} are one header). The order
 * of values under one name is kept.
 */
public final class CallbackHeaders {

    private static final CallbackHeaders EMPTY = new CallbackHeaders(new TreeMap<>(String.CASE_INSENSITIVE_ORDER));

    private final Map<String, List<String>> values;

    private CallbackHeaders(TreeMap<String, List<String>> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** Headers with no entries. */
    public static CallbackHeaders empty() {
        return EMPTY;
    }

    /**
     * Copies {@code headers}; names that differ only in case are merged, values in the order met.
     *
     * @throws NullPointerException if a name, a value list or a value is null
     */
    public static CallbackHeaders of(Map<String, ? extends List<String>> headers) {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, list) -> {
            Objects.requireNonNull(name, "header name");
            for (String value : list) {
                copy.computeIfAbsent(name, n -> new ArrayList<>()).add(Objects.requireNonNull(value, "header value"));
            }
        });
        copy.replaceAll((name, list) -> List.copyOf(list));
        return new CallbackHeaders(copy);
    }

    /**
     * Headers from name and value pairs, as a server hands over its header lines: names that
     * differ only in case are merged, values kept in the order given.
     *
     * @throws NullPointerException if the pairs, a name or a value is null
     */
    public static CallbackHeaders ofPairs(Iterable<? extends Map.Entry<String, String>> pairs) {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> pair : Objects.requireNonNull(pairs, "pairs")) {
            copy.computeIfAbsent(Objects.requireNonNull(pair.getKey(), "header name"), n -> new ArrayList<>())
                    .add(Objects.requireNonNull(pair.getValue(), "header value"));
        }
        copy.replaceAll((name, list) -> List.copyOf(list));
        return new CallbackHeaders(copy);
    }

    /**
     * Takes {@code headers} over without copying: for adapters in this package that built a
     * case-insensitive map of immutable, non-null value lists themselves and keep no reference.
     */
    static CallbackHeaders owning(TreeMap<String, List<String>> headers) {
        return new CallbackHeaders(headers);
    }

    /** Headers holding exactly one value per given name: {@code of("Content-Type", "application/json")}. */
    public static CallbackHeaders of(String name, String value, String... moreNamesAndValues) {
        if (moreNamesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        TreeMap<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        map.computeIfAbsent(Objects.requireNonNull(name), n -> new ArrayList<>()).add(Objects.requireNonNull(value));
        for (int i = 0; i < moreNamesAndValues.length; i += 2) {
            map.computeIfAbsent(Objects.requireNonNull(moreNamesAndValues[i]), n -> new ArrayList<>())
                    .add(Objects.requireNonNull(moreNamesAndValues[i + 1]));
        }
        return of(map);
    }

    /** The first value of {@code name}, if the header is present. */
    public Optional<String> first(String name) {
        List<String> list = values.get(name);
        return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }

    /** Every value of {@code name}, in order; empty when absent. */
    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** Whether the header is present. */
    public boolean contains(String name) {
        return values.containsKey(name);
    }

    /** The header names, in case-insensitive order, as first spelled. */
    public Set<String> names() {
        return values.keySet();
    }

    /** The headers as an unmodifiable map whose look-ups ignore case. */
    public Map<String, List<String>> asMap() {
        return values;
    }

    /** A copy with {@code name} set to the single {@code value}, replacing earlier values. */
    public CallbackHeaders with(String name, String value) {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(values);
        copy.put(Objects.requireNonNull(name), List.of(Objects.requireNonNull(value)));
        return new CallbackHeaders(copy);
    }

    /** Whether there is no header at all. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CallbackHeaders that && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** Names and values, with secret-like values masked as the journal masks them. */
    @Override
    public String toString() {
        return new Redactor(Set.of()).redact(values).toString();
    }
}
