package org.fieldcloud.deltas.apply;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import tools.jackson.databind.JsonNode;

/**
 * Turns delta attribute values into Java values and compares them with stored ones by the reference's rules:
 * numbers by value (1 == 1.0), strings exactly ("1" is not 1), dates and times by parsing the incoming string.
 */
final class Values {

    private Values() { }

    /** A JSON scalar as a plain Java value: null, Boolean, BigDecimal or String (objects and arrays as JSON text). */
    static Object plain(JsonNode node) {
        if (node == null || node.isNull()) return null;
        if (node.isBoolean()) return node.booleanValue();
        if (node.isNumber()) return node.decimalValue();
        if (node.isString()) return node.stringValue();
        return node.toString();
    }

    static boolean same(Object current, JsonNode incoming) {
        Object value = plain(incoming);
        if (current == null || value == null) {
            return current == null && value == null;
        }
        if (current instanceof Number n && value instanceof BigDecimal d) {
            return new BigDecimal(n.toString()).compareTo(d) == 0;
        }
        if (value instanceof String s) {
            Object temporal = temporal(current, s);
            if (temporal != null) {
                return (Boolean) temporal;
            }
            if (current instanceof byte[]) {
                // Binary values are sent in an encoding we cannot compare reliably; they never count as conflicts.
                return true;
            }
            return (current instanceof String || current instanceof java.util.UUID) && current.toString().equals(s);
        }
        if (current instanceof Boolean b && value instanceof Boolean v) {
            return b.equals(v);
        }
        return false;
    }

    /** Compares a stored date/time with an incoming ISO string; null when {@code current} is no date or time. */
    private static Boolean temporal(Object current, String s) {
        try {
            if (current instanceof java.sql.Timestamp t) return t.toLocalDateTime().equals(LocalDateTime.parse(s.replace(' ', 'T')));
            if (current instanceof java.sql.Date d) return d.toLocalDate().equals(LocalDate.parse(s.substring(0, Math.min(10, s.length()))));
            if (current instanceof java.sql.Time t) return t.toLocalTime().equals(LocalTime.parse(s));
            if (current instanceof LocalDateTime t) return t.equals(LocalDateTime.parse(s.replace(' ', 'T')));
            if (current instanceof LocalDate d) return d.equals(LocalDate.parse(s.substring(0, Math.min(10, s.length()))));
            if (current instanceof OffsetDateTime t) return t.toInstant().equals(OffsetDateTime.parse(s).toInstant());
        } catch (DateTimeParseException e) {
            return false;
        }
        return null;
    }

    static String show(Object value) {
        return value == null ? "NULL" : value instanceof byte[] b ? "<" + b.length + " bytes>" : value.toString();
    }
}
