package org.fieldcloud.web;

import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiWebConfig;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Every page knows who is signed in (for the header and for staff-only form fields). */
@ControllerAdvice(basePackageClasses = CurrentPerson.class)
class CurrentPerson {

    @ModelAttribute("me")
    Actor me() {
        return ApiWebConfig.current();
    }
}
