package org.fieldcloud.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.api.Page;
import org.fieldcloud.api.RequestFields;
import org.fieldcloud.permissions.Policy;
import org.fieldcloud.permissions.ProjectAction;
import org.fieldcloud.projects.Collaborators;
import org.fieldcloud.projects.Projects;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The project page's Collaborators and Settings tabs (visibility, restricted files, conflicts, transfer, delete). */
@Controller
class ProjectSettingsPages {

    private final Policy policy;
    private final Projects projects;
    private final Collaborators collaborators;
    private final ProjectPages pages;

    ProjectSettingsPages(Policy policy, Projects projects, Collaborators collaborators, ProjectPages pages) {
        this.policy = policy;
        this.projects = projects;
        this.collaborators = collaborators;
        this.pages = pages;
    }

    static final class CollaboratorForm {
        @NotBlank(message = "Enter a username, or @organization/team for a team.")
        private String collaborator = "";
        private String role = "reader";
        private boolean incognito;

        public String getCollaborator() { return collaborator; }
        public void setCollaborator(String collaborator) { this.collaborator = collaborator == null ? "" : collaborator.trim(); }
        public String getRole() { return role; }
        public void setRole(String role) { this.role = role; }
        public boolean getIncognito() { return incognito; }
        public void setIncognito(boolean incognito) { this.incognito = incognito; }
    }

    static final class SettingsForm {
        private String description = "";
        private boolean isPublic;
        private boolean restrictedFiles;
        private boolean overwriteConflicts;

        public String getDescription() { return description; }
        public void setDescription(String description) { this.description = description == null ? "" : description; }
        public boolean getIsPublic() { return isPublic; }
        public void setIsPublic(boolean isPublic) { this.isPublic = isPublic; }
        public boolean getRestrictedFiles() { return restrictedFiles; }
        public void setRestrictedFiles(boolean restrictedFiles) { this.restrictedFiles = restrictedFiles; }
        public boolean getOverwriteConflicts() { return overwriteConflicts; }
        public void setOverwriteConflicts(boolean overwriteConflicts) { this.overwriteConflicts = overwriteConflicts; }
    }

    @GetMapping("/projects/{id}/collaborators")
    String collaboratorsTab(Actor actor, @PathVariable UUID id, Model model) {
        model.addAttribute("form", new CollaboratorForm());
        return collaboratorsView(actor, id, model);
    }

    @PostMapping("/projects/{id}/collaborators")
    String add(Actor actor, @PathVariable UUID id, @Valid @ModelAttribute("form") CollaboratorForm form, BindingResult result,
               Model model, RedirectAttributes flash) {
        policy.requireProject(actor, ProjectAction.MANAGE_COLLABORATORS, id);
        if (!result.hasErrors()) {
            try {
                collaborators.add(actor, id, RequestFields.of(Map.of("collaborator", form.getCollaborator(), "role", form.getRole(),
                        "is_incognito", form.getIncognito())));
                flash.addFlashAttribute("flash", form.getCollaborator() + " is now " + form.getRole() + " on this project.");
                return "redirect:/projects/" + id + "/collaborators";
            } catch (ApiException e) {
                Forms.reject(result, e, Map.of("collaborator", "collaborator", "role", "role", "is_incognito", "incognito"));
            }
        }
        return collaboratorsView(actor, id, model);
    }

    /** The collaborator is named in the form; the project, which is what is authorized, comes from the path. */
    @PostMapping("/projects/{id}/collaborators/role")
    String changeRole(Actor actor, @PathVariable UUID id, @RequestParam String collaborator, @RequestParam String role,
                      RedirectAttributes flash) {
        collaborators.update(actor, id, collaborator, RequestFields.of(Map.of("role", role)), false);
        flash.addFlashAttribute("flash", collaborator + " is now " + role + ".");
        return "redirect:/projects/" + id + "/collaborators";
    }

    @PostMapping("/projects/{id}/collaborators/remove")
    String remove(Actor actor, @PathVariable UUID id, @RequestParam String collaborator, RedirectAttributes flash) {
        collaborators.remove(actor, id, collaborator);
        flash.addFlashAttribute("flash", collaborator + " was removed from this project.");
        return "redirect:/projects/" + id + "/collaborators";
    }

    private String collaboratorsView(Actor actor, UUID id, Model model) {
        pages.context(actor, id, model, "collaborators");
        model.addAttribute("collaborators", collaborators.list(actor, id, new Page(null, 0)).rows());
        return "project/collaborators";
    }

    @GetMapping("/projects/{id}/settings")
    String settingsTab(Actor actor, @PathVariable UUID id, Model model) {
        ProjectContext ctx = pages.context(actor, id, model, "settings");
        policy.requireProject(actor, ProjectAction.UPDATE_PROJECT, id);
        SettingsForm form = new SettingsForm();
        Map<String, Object> p = ctx.project();
        form.setDescription(String.valueOf(p.get("description")));
        form.setIsPublic(Boolean.TRUE.equals(p.get("is_public")));
        form.setRestrictedFiles(Boolean.TRUE.equals(p.get("has_restricted_projectfiles")));
        form.setOverwriteConflicts(Boolean.TRUE.equals(p.get("overwrite_conflicts")));
        model.addAttribute("form", form);
        return "project/settings";
    }

    @PostMapping("/projects/{id}/settings")
    String saveSettings(Actor actor, @PathVariable UUID id, @ModelAttribute("form") SettingsForm form, RedirectAttributes flash) {
        projects.update(actor, id, RequestFields.of(Map.of("description", form.getDescription(), "is_public", form.getIsPublic(),
                "has_restricted_projectfiles", form.getRestrictedFiles(), "overwrite_conflicts", form.getOverwriteConflicts())), false);
        flash.addFlashAttribute("flash", "Settings saved.");
        return "redirect:/projects/" + id + "/settings";
    }

    @PostMapping("/projects/{id}/transfer")
    String transfer(Actor actor, @PathVariable UUID id, @RequestParam String owner, RedirectAttributes flash) {
        try {
            projects.update(actor, id, RequestFields.of(Map.of("owner", owner)), false);
            flash.addFlashAttribute("flash", "The project now belongs to " + owner + ".");
        } catch (ApiException e) {
            if (e.status().value() != 400 && e.status().value() != 404) {
                throw e;
            }
            flash.addFlashAttribute("transferError", e.getMessage());
        }
        return "redirect:/projects/" + id + "/settings";
    }

    /** Deleting needs the project's name typed again, so a slip of the mouse cannot do it. */
    @PostMapping("/projects/{id}/delete")
    String delete(Actor actor, @PathVariable UUID id, @RequestParam(defaultValue = "") String confirm, RedirectAttributes flash) {
        Policy.ProjectAccess access = policy.requireProject(actor, ProjectAction.DELETE_PROJECT, id);
        if (!access.name().equals(confirm)) {
            flash.addFlashAttribute("deleteError", "Type the project's name, " + access.name() + ", to delete it.");
            return "redirect:/projects/" + id + "/settings";
        }
        projects.delete(actor, id);
        flash.addFlashAttribute("flash", "Project " + access.name() + " was deleted.");
        return "redirect:/projects";
    }
}
