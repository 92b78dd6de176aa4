package org.fieldcloud.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fields of a request body, whatever its encoding (JSON object, form-encoded or multipart):
 * the official CLI sends form bodies, QFieldSync sends JSON. Getters validate types and name the
 * field in every error so that the client knows exactly what to fix.
 */
public final class RequestFields {

    private final Map<String, Object> values;

    public RequestFields(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static RequestFields of(Map<String, Object> values) {
        return new RequestFields(values);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** A string field; JSON null counts as absent. Numbers and booleans are refused rather than coerced. */
    public Optional<String> string(String name) {
        Object v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof String s) {
            return Optional.of(s);
        }
        throw ApiException.badRequest("Field '" + name + "' must be a string, got " + jsonType(v) + ".");
    }

    public String requiredString(String name) {
        return string(name).orElseThrow(() -> ApiException.badRequest("Field '" + name + "' is required."));
    }

    /** A required string that must contain something other than white space. */
    public String requiredNonBlank(String name) {
        String s = requiredString(name);
        if (s.isBlank()) {
            throw ApiException.badRequest("Field '" + name + "' must not be blank.");
        }
        return s;
    }

    /** Booleans: JSON true/false, or the form spellings true/false/1/0/on/off (any case). */
    public Optional<Boolean> bool(String name) {
        Object v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Boolean b) {
            return Optional.of(b);
        }
        if (v instanceof String s) {
            switch (s.trim().toLowerCase()) {
                case "true", "1", "on", "yes" -> { return Optional.of(true); }
                case "false", "0", "off", "no" -> { return Optional.of(false); }
                default -> { }
            }
        }
        throw ApiException.badRequest("Field '" + name + "' must be a boolean (true or false), got " + describe(v) + ".");
    }

    /** A value from a fixed set, compared exactly; the error lists the accepted values. */
    public Optional<String> choice(String name, Set<String> allowed) {
        Optional<String> s = string(name);
        s.ifPresent(value -> {
            if (!allowed.contains(value)) {
                throw ApiException.badRequest("Field '" + name + "' must be one of " + sorted(allowed) + ", got '" + value + "'.");
            }
        });
        return s;
    }

    public Object raw(String name) {
        return values.get(name);
    }

    private static String sorted(Set<String> allowed) {
        return allowed.stream().sorted().toList().toString();
    }

    private static String describe(Object v) {
        return v instanceof String s ? "'" + s + "'" : jsonType(v);
    }

    private static String jsonType(Object v) {
        if (v instanceof Number) return "a number";
        if (v instanceof Boolean) return "a boolean";
        if (v instanceof Map) return "an object";
        if (v instanceof java.util.List) return "an array";
        return "a string";
    }
}
