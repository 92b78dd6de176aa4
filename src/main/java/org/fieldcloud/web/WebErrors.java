package org.fieldcloud.web;

import jakarta.servlet.http.HttpServletResponse;
import org.fieldcloud.api.ApiException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Errors of the pages as pages (the API's JSON envelope stays for the API): the policy module's 403 and 404 with
 * their message, an expired sign-in back to the sign-in page. Ordered before the API's handler, which would
 * otherwise answer with JSON.
 */
@ControllerAdvice(basePackageClasses = WebErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class WebErrors {

    @ExceptionHandler(ApiException.class)
    String refused(ApiException e, Model model, HttpServletResponse response) {
        if (e.status() == HttpStatus.UNAUTHORIZED) {
            return "redirect:/";
        }
        response.setStatus(e.status().value());
        model.addAttribute("status", e.status().value());
        model.addAttribute("message", e.getMessage());
        return "error";
    }

    /** A malformed id in a link or a typed query (say, the precedence view's project id). */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    String malformed(MethodArgumentTypeMismatchException e, Model model, HttpServletResponse response) {
        response.setStatus(HttpStatus.BAD_REQUEST.value());
        model.addAttribute("status", HttpStatus.BAD_REQUEST.value());
        model.addAttribute("message", "'" + e.getValue() + "' is not a valid " + e.getName() + ".");
        return "error";
    }
}
