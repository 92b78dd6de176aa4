package org.fieldcloud.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;
import java.util.Optional;
import org.fieldcloud.accounts.AccountSettings;
import org.fieldcloud.accounts.Accounts;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.ops.CurrentStatusMessages;
import org.fieldcloud.organizations.Plans;
import org.fieldcloud.permissions.Policy;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Staff only: people (create, deactivate, reactivate), plans, and the operator's status messages. */
@Controller
class StaffPages {

    private final Policy policy;
    private final AccountSettings accounts;
    private final Plans plans;
    private final CurrentStatusMessages status;

    StaffPages(Policy policy, AccountSettings accounts, Plans plans, CurrentStatusMessages status) {
        this.policy = policy;
        this.accounts = accounts;
        this.plans = plans;
        this.status = status;
    }

    static final class PersonForm {
        @NotBlank(message = "Enter a username.")
        private String username = "";
        private String email = "";
        @NotBlank(message = "Enter a first password (at least 8 characters).")
        private String password = "";
        private boolean staff;

        public String getUsername() { return username; }
        public void setUsername(String username) { this.username = username == null ? "" : username.trim(); }
        public String getEmail() { return email; }
        public void setEmail(String email) { this.email = email == null ? "" : email.trim(); }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password == null ? "" : password; }
        public boolean getStaff() { return staff; }
        public void setStaff(boolean staff) { this.staff = staff; }
    }

    @GetMapping("/staff/people")
    String people(Actor actor, Model model) {
        model.addAttribute("form", new PersonForm());
        return peopleView(actor, model);
    }

    @PostMapping("/staff/people")
    String create(Actor actor, @Valid @ModelAttribute("form") PersonForm form, BindingResult result, Model model, RedirectAttributes flash) {
        policy.requireStaff(actor, "create people");
        if (!result.hasErrors()) {
            try {
                accounts.createPerson(actor, new Accounts.NewPerson(form.getUsername(), form.getEmail(), form.getPassword(), "", "", form.getStaff()));
                flash.addFlashAttribute("flash", form.getUsername() + " can now sign in.");
                return "redirect:/staff/people";
            } catch (ApiException e) {
                Forms.reject(result, e, Map.of("username", "username", "email", "email", "password", "password"));
            }
        }
        form.setPassword("");
        return peopleView(actor, model);
    }

    @PostMapping("/staff/people/active")
    String setActive(Actor actor, @RequestParam String username, @RequestParam boolean active, RedirectAttributes flash) {
        accounts.setActive(actor, username, active);
        flash.addFlashAttribute("flash", username + (active ? " can sign in again." : " was deactivated and signed out."));
        return "redirect:/staff/people";
    }

    private String peopleView(Actor actor, Model model) {
        model.addAttribute("people", accounts.people(actor));
        model.addAttribute("section", "people");
        return "staff/people";
    }

    @GetMapping("/staff/plans")
    String plans(Actor actor, Model model) {
        policy.requireStaff(actor, "see plans");
        model.addAttribute("plans", plans.list(actor));
        model.addAttribute("section", "plans");
        return "staff/plans";
    }

    /** An incident (from now, or from {@code start}) or a maintenance window, as {@code status/} will show it. */
    static final class MessageForm {
        @Pattern(regexp = "incident|maintenance", message = "Choose incident or maintenance.")
        private String kind = "incident";
        @NotBlank(message = "Enter the message people should read.")
        @Size(max = 2000, message = "Keep the message under 2,000 characters.")
        private String message = "";
        private String start = "";
        private String end = "";

        public String getKind() { return kind; }
        public void setKind(String kind) { this.kind = kind == null ? "" : kind; }
        public String getMessage() { return message; }
        public void setMessage(String message) { this.message = message == null ? "" : message.trim(); }
        public String getStart() { return start; }
        public void setStart(String start) { this.start = start == null ? "" : start.trim(); }
        public String getEnd() { return end; }
        public void setEnd(String end) { this.end = end == null ? "" : end.trim(); }
    }

    @GetMapping("/staff/status")
    String status(Actor actor, Model model) {
        policy.requireStaff(actor, "see status messages");
        model.addAttribute("form", new MessageForm());
        return statusView(model);
    }

    @PostMapping("/staff/status")
    String setMessage(Actor actor, @Valid @ModelAttribute("form") MessageForm form, BindingResult result, Model model, RedirectAttributes flash) {
        policy.requireStaff(actor, "set status messages");
        if (!result.hasErrors()) {
            try {
                Optional<String> end = Optional.of(form.getEnd()).filter(t -> !t.isEmpty() && form.getKind().equals("maintenance"));
                status.set(form.getKind(), form.getMessage(), Optional.of(form.getStart()).filter(t -> !t.isEmpty()), end, actor.requireUserId());
                flash.addFlashAttribute("flash", "The " + form.getKind() + " message is now shown by status/.");
                return "redirect:/staff/status";
            } catch (ApiException e) {
                Forms.reject(result, e, Map.of("timestamp_utc", "start", "start_timestamp_utc", "start", "end_timestamp_utc", "end"));
            }
        }
        return statusView(model);
    }

    @PostMapping("/staff/status/clear")
    String clearMessage(Actor actor, @RequestParam String kind, RedirectAttributes flash) {
        policy.requireStaff(actor, "clear status messages");
        if (!kind.equals("incident") && !kind.equals("maintenance")) {
            throw ApiException.badRequest("Choose incident or maintenance.");
        }
        status.clear(kind, actor.requireUserId());
        flash.addFlashAttribute("flash", "The " + kind + " message is cleared.");
        return "redirect:/staff/status";
    }

    private String statusView(Model model) {
        model.addAttribute("messages", status.fields());
        model.addAttribute("section", "status");
        return "staff/status";
    }
}
