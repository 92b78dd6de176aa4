package org.fieldcloud.web;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fieldcloud.api.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.validation.BindingResult;

/** Puts a feature service's "bad input" answer next to the form field it names. */
final class Forms {

    private static final Pattern FIELD = Pattern.compile("^Field '([a-z_]+)'");

    private Forms() { }

    /**
     * A 400 whose message starts with {@code Field 'x'} lands on the form field mapped from {@code x}, any other 400
     * on the form as a whole. Anything else (403, 404, 409…) is not a form error and goes on to the error page.
     */
    static void reject(BindingResult result, ApiException e, Map<String, String> apiToFormField) {
        if (e.status() != HttpStatus.BAD_REQUEST) {
            throw e;
        }
        Matcher m = FIELD.matcher(e.getMessage());
        String field = m.find() ? apiToFormField.get(m.group(1)) : null;
        if (field != null) {
            result.rejectValue(field, e.code(), e.getMessage());
        } else {
            result.reject(e.code(), e.getMessage());
        }
    }
}
