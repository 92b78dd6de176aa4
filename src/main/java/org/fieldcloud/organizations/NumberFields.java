package org.fieldcloud.organizations;

import java.math.BigDecimal;
import java.util.Optional;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.api.RequestFields;

/** Whole-number body fields (JSON numbers, or digits in form bodies), checked against a range. */
final class NumberFields {

    private NumberFields() { }

    static Optional<Long> integer(RequestFields fields, String name, long min, long max) {
        Object v = fields.raw(name);
        if (v == null) {
            return Optional.empty();
        }
        long value = parse(name, v);
        if (value < min || value > max) {
            throw ApiException.badRequest("Field '" + name + "' must be between " + min + " and " + max + ", got " + value + ".");
        }
        return Optional.of(value);
    }

    private static long parse(String name, Object v) {
        try {
            if (v instanceof Number n) {
                return new BigDecimal(n.toString()).longValueExact();
            }
            if (v instanceof String s) {
                return Long.parseLong(s.trim());
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // falls through to the error naming the field
        }
        throw ApiException.badRequest("Field '" + name + "' must be a whole number.");
    }
}
