package org.fieldcloud.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.util.List;
import org.fieldcloud.accounts.Account;
import org.fieldcloud.accounts.Logins;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Signing in with a username or e-mail address. The password is checked by the accounts feature's {@link Logins},
 * so the pages share the API's lock-out and hash cap; then the session id and the CSRF token change. Like the
 * pages' security configuration it needs a web server (worker-only processes have none).
 */
@Controller
@ConditionalOnWebApplication
class SignInController {

    private final Logins logins;
    private final SessionAuthenticationStrategy sessions;
    private final SecurityContextRepository contexts;

    SignInController(Logins logins, SessionAuthenticationStrategy webSignInStrategy, SecurityContextRepository webSecurityContexts) {
        this.logins = logins;
        this.sessions = webSignInStrategy;
        this.contexts = webSecurityContexts;
    }

    static final class SignInForm {
        @NotBlank(message = "Enter your username or e-mail address.")
        private String login = "";
        @NotBlank(message = "Enter your password.")
        private String password = "";

        public String getLogin() { return login; }
        public void setLogin(String login) { this.login = login == null ? "" : login.trim(); }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password == null ? "" : password; }
    }

    @GetMapping("/")
    String home(Actor actor, @RequestParam(name = "signed-out", required = false) String signedOut, Model model) {
        if (!actor.anonymous()) {
            return "redirect:/projects";
        }
        model.addAttribute("signedOut", signedOut != null);
        model.addAttribute("form", new SignInForm());
        return "sign-in";
    }

    @PostMapping("/sign-in")
    String signIn(@Valid @ModelAttribute("form") SignInForm form, BindingResult result, HttpServletRequest request,
                  HttpServletResponse response) {
        String password = form.getPassword();
        form.setPassword("");
        if (result.hasErrors()) {
            return "sign-in";
        }
        boolean email = form.getLogin().contains("@");
        Account account;
        try {
            account = logins.verify(email ? "" : form.getLogin(), email ? form.getLogin() : "", password,
                    request.getRemoteAddr());
        } catch (ApiException e) {
            result.reject(e.code(), e.getMessage());
            response.setStatus(e.status().value());
            return "sign-in";
        }
        UsernamePasswordAuthenticationToken auth = authentication(account);
        sessions.onAuthentication(auth, request, response);
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(auth);
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        return "redirect:/projects";
    }

    /** The session's principal is the same {@link Actor} the API's token filter produces. */
    static UsernamePasswordAuthenticationToken authentication(Account account) {
        Actor actor = new Actor(account.id(), account.username(), account.staff(), "browser");
        List<SimpleGrantedAuthority> authorities = account.staff() ? List.of(new SimpleGrantedAuthority("ROLE_STAFF")) : List.of();
        return UsernamePasswordAuthenticationToken.authenticated(actor, null, authorities);
    }
}
