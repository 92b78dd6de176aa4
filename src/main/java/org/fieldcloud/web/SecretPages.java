package org.fieldcloud.web;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.api.Page;
import org.fieldcloud.api.RequestFields;
import org.fieldcloud.organizations.Members;
import org.fieldcloud.projects.Collaborators;
import org.fieldcloud.secrets.SecretAdministration;
import org.fieldcloud.secrets.SecretAdministration.Winner;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Secrets tab of project and organization settings (seeds 000/001): the list without values, "Add a new
 * secret" for both types and both pg_service editors, delete with confirmation, the precedence view for a chosen
 * person and the audit. Every call goes through {@link SecretAdministration}, which asks the policy module.
 */
@Controller
class SecretPages {

    private static final Map<String, String> FIELDS = Map.of("name", "name", "value", "value", "assigned_to", "assignedTo", "type", "type");

    private final SecretAdministration secrets;
    private final Collaborators collaborators;
    private final Members members;
    private final ProjectPages projectPages;
    private final OrganizationPages organizationPages;

    SecretPages(SecretAdministration secrets, Collaborators collaborators, Members members, ProjectPages projectPages,
                OrganizationPages organizationPages) {
        this.secrets = secrets;
        this.collaborators = collaborators;
        this.members = members;
        this.projectPages = projectPages;
        this.organizationPages = organizationPages;
    }

    @GetMapping("/projects/{id}/secrets")
    String projectTab(Actor actor, @PathVariable UUID id, @RequestParam(name = "new", required = false) String newType,
                      @RequestParam(required = false) String person, Model model) {
        SecretForm form = new SecretForm();
        form.setType(newType);
        model.addAttribute("form", form);
        model.addAttribute("adding", newType != null);
        return projectView(actor, id, person, model);
    }

    @PostMapping("/projects/{id}/secrets")
    String createProject(Actor actor, @PathVariable UUID id, @ModelAttribute("form") SecretForm form, BindingResult result,
                         Model model, RedirectAttributes flash) {
        secrets.listProject(actor, id); // asks the policy module first: no form errors for someone who may not manage these
        if (create(form, result, body -> secrets.createProject(actor, id, body), flash)) {
            return "redirect:/projects/" + id + "/secrets";
        }
        model.addAttribute("adding", true);
        return projectView(actor, id, null, model);
    }

    @PostMapping("/projects/{id}/secrets/{secretId}/delete")
    String deleteProject(Actor actor, @PathVariable UUID id, @PathVariable long secretId, RedirectAttributes flash) {
        secrets.deleteProject(actor, id, secretId);
        flash.addFlashAttribute("flash", "The secret was deleted.");
        return "redirect:/projects/" + id + "/secrets";
    }

    @GetMapping("/organizations/{org}/secrets")
    String organizationTab(Actor actor, @PathVariable String org, @RequestParam(name = "new", required = false) String newType,
                           @RequestParam(required = false) String person, @RequestParam(required = false) UUID project, Model model) {
        SecretForm form = new SecretForm();
        form.setType(newType);
        model.addAttribute("form", form);
        model.addAttribute("adding", newType != null);
        return organizationView(actor, org, person, project, model);
    }

    @PostMapping("/organizations/{org}/secrets")
    String createOrganization(Actor actor, @PathVariable String org, @ModelAttribute("form") SecretForm form, BindingResult result,
                              Model model, RedirectAttributes flash) {
        secrets.listOrganization(actor, org); // asks the policy module first, as above
        if (create(form, result, body -> secrets.createOrganization(actor, org, body), flash)) {
            return "redirect:/organizations/" + org + "/secrets";
        }
        model.addAttribute("adding", true);
        return organizationView(actor, org, null, null, model);
    }

    @PostMapping("/organizations/{org}/secrets/{secretId}/delete")
    String deleteOrganization(Actor actor, @PathVariable String org, @PathVariable long secretId, RedirectAttributes flash) {
        secrets.deleteOrganization(actor, org, secretId);
        flash.addFlashAttribute("flash", "The secret was deleted.");
        return "redirect:/organizations/" + org + "/secrets";
    }

    /** True when stored; otherwise the errors are on the form, whose value fields are emptied before it is shown. */
    private static boolean create(SecretForm form, BindingResult result, java.util.function.Consumer<RequestFields> store,
                                  RedirectAttributes flash) {
        form.validate(result);
        if (!result.hasErrors()) {
            Map<String, Object> body = new HashMap<>(Map.of("type", form.getType(), "value", form.secretValue()));
            if ("envvar".equals(form.getType())) {
                body.put("name", form.getName());
            }
            if (!form.getAssignedTo().isEmpty()) {
                body.put("assigned_to", form.getAssignedTo());
            }
            try {
                store.accept(RequestFields.of(body));
                flash.addFlashAttribute("flash", "The secret was added. Its value cannot be shown again.");
                return true;
            } catch (ApiException e) {
                Forms.reject(result, e, "advanced".equals(form.getEditor()) ? Map.of("value", "text", "name", "text",
                        "assigned_to", "assignedTo") : "pgservice".equals(form.getType()) ? Map.of("value", "service", "name", "service",
                        "assigned_to", "assignedTo") : FIELDS);
            }
        }
        form.forgetValues();
        return false;
    }

    private String projectView(Actor actor, UUID id, String person, Model model) {
        model.addAttribute("secrets", secrets.listProject(actor, id));
        projectPages.context(actor, id, model, "secrets");
        model.addAttribute("audit", secrets.auditProject(actor, id));
        model.addAttribute("people", collaborators.list(actor, id, new Page(null, 0)).rows().stream()
                .map(c -> String.valueOf(c.get("collaborator"))).filter(n -> !n.startsWith("@")).toList());
        model.addAttribute("base", "/projects/" + id + "/secrets");
        model.addAttribute("level", "project");
        precedence(model, person, () -> secrets.projectWinners(actor, id, person));
        return "project/secrets";
    }

    private String organizationView(Actor actor, String org, String person, UUID project, Model model) {
        model.addAttribute("secrets", secrets.listOrganization(actor, org));
        organizationPages.context(actor, org, model, "secrets");
        model.addAttribute("audit", secrets.auditOrganization(actor, org));
        model.addAttribute("people", members.list(actor, org, new Page(null, 0)).rows().stream().map(m -> String.valueOf(m.get("member"))).toList());
        model.addAttribute("base", "/organizations/" + org + "/secrets");
        model.addAttribute("level", "organization");
        model.addAttribute("chosenProject", project);
        precedence(model, project == null ? null : person, () -> secrets.organizationWinners(actor, org, project, person));
        return "organization/secrets";
    }

    /** The winners for the chosen person, or the reason there are none; never a value. */
    private static void precedence(Model model, String person, java.util.function.Supplier<List<Winner>> winners) {
        model.addAttribute("person", person);
        if (person == null || person.isBlank()) {
            return;
        }
        try {
            model.addAttribute("winners", winners.get());
        } catch (ApiException e) {
            if (e.status().value() != 400) {
                throw e;
            }
            model.addAttribute("precedenceError", e.getMessage());
        }
    }
}
