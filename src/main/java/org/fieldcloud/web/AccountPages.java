package org.fieldcloud.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.fieldcloud.accounts.Account;
import org.fieldcloud.accounts.AccountSettings;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The signed-in person's account: name and e-mail, password, and their API tokens with revoke. */
@Controller
class AccountPages {

    private final AccountSettings settings;

    AccountPages(AccountSettings settings) {
        this.settings = settings;
    }

    static final class ProfileForm {
        @Size(max = 150, message = "At most 150 characters.")
        private String firstName = "";
        @Size(max = 150, message = "At most 150 characters.")
        private String lastName = "";
        private String email = "";

        public String getFirstName() { return firstName; }
        public void setFirstName(String firstName) { this.firstName = firstName == null ? "" : firstName.trim(); }
        public String getLastName() { return lastName; }
        public void setLastName(String lastName) { this.lastName = lastName == null ? "" : lastName.trim(); }
        public String getEmail() { return email; }
        public void setEmail(String email) { this.email = email == null ? "" : email.trim(); }
    }

    static final class PasswordForm {
        @NotBlank(message = "Enter your current password.")
        private String currentPassword = "";
        @Size(min = 8, message = "At least 8 characters.")
        private String newPassword = "";

        public String getCurrentPassword() { return currentPassword; }
        public void setCurrentPassword(String currentPassword) { this.currentPassword = currentPassword == null ? "" : currentPassword; }
        public String getNewPassword() { return newPassword; }
        public void setNewPassword(String newPassword) { this.newPassword = newPassword == null ? "" : newPassword; }
    }

    @GetMapping("/account")
    String account(Actor actor, Model model) {
        model.addAttribute("profile", account(settings.me(actor)));
        model.addAttribute("passwordForm", new PasswordForm());
        return view(actor, model);
    }

    @PostMapping("/account")
    String saveProfile(Actor actor, @Valid @ModelAttribute("profile") ProfileForm profile, BindingResult result, Model model,
                       RedirectAttributes flash) {
        if (!result.hasErrors()) {
            try {
                settings.updateProfile(actor, profile.getFirstName(), profile.getLastName(), profile.getEmail());
                flash.addFlashAttribute("flash", "Your details were saved.");
                return "redirect:/account";
            } catch (ApiException e) {
                Forms.reject(result, e, Map.of("first_name", "firstName", "last_name", "lastName", "email", "email"));
            }
        }
        model.addAttribute("passwordForm", new PasswordForm());
        return view(actor, model);
    }

    @PostMapping("/account/password")
    String changePassword(Actor actor, @Valid @ModelAttribute("passwordForm") PasswordForm form, BindingResult result, Model model,
                          HttpServletRequest request, RedirectAttributes flash) {
        if (!result.hasErrors()) {
            try {
                settings.changePassword(actor, form.getCurrentPassword(), form.getNewPassword(), request.getRemoteAddr());
                flash.addFlashAttribute("flash", "Your password was changed.");
                return "redirect:/account";
            } catch (ApiException e) {
                Forms.reject(result, e, Map.of("current_password", "currentPassword", "new_password", "newPassword"));
            }
        }
        form.setCurrentPassword("");
        form.setNewPassword("");
        model.addAttribute("profile", account(settings.me(actor)));
        return view(actor, model);
    }

    @PostMapping("/account/tokens/{tokenId}/revoke")
    String revoke(Actor actor, @PathVariable long tokenId, RedirectAttributes flash) {
        settings.revokeToken(actor, tokenId);
        flash.addFlashAttribute("flash", "The token was revoked; the client holding it must sign in again.");
        return "redirect:/account";
    }

    private static ProfileForm account(Account me) {
        ProfileForm profile = new ProfileForm();
        profile.setFirstName(me.firstName());
        profile.setLastName(me.lastName());
        profile.setEmail(me.email());
        return profile;
    }

    private String view(Actor actor, Model model) {
        model.addAttribute("tokens", settings.tokens(actor));
        model.addAttribute("account", settings.me(actor));
        return "account";
    }
}
