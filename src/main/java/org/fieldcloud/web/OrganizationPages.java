package org.fieldcloud.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.util.Map;
import org.fieldcloud.accounts.OrganizationDirectory;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.api.Page;
import org.fieldcloud.api.RequestFields;
import org.fieldcloud.organizations.Members;
import org.fieldcloud.organizations.Organizations;
import org.fieldcloud.organizations.Teams;
import org.fieldcloud.permissions.OrganizationAction;
import org.fieldcloud.permissions.Policy;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Organizations: the person's list and the create form; members, teams and settings (transfer, delete). */
@Controller
class OrganizationPages {

    private final Policy policy;
    private final OrganizationDirectory directory;
    private final Organizations organizations;
    private final Members members;
    private final Teams teams;

    OrganizationPages(Policy policy, OrganizationDirectory directory, Organizations organizations, Members members, Teams teams) {
        this.policy = policy;
        this.directory = directory;
        this.organizations = organizations;
        this.members = members;
        this.teams = teams;
    }

    static final class NameForm {
        @NotBlank(message = "Enter a name.")
        private String name = "";
        private String role = "member";

        public String getName() { return name; }
        public void setName(String name) { this.name = name == null ? "" : name.trim(); }
        public String getRole() { return role; }
        public void setRole(String role) { this.role = role; }
    }

    @GetMapping("/organizations")
    String list(Actor actor, Model model) {
        model.addAttribute("form", new NameForm());
        return listView(actor, model);
    }

    @PostMapping("/organizations")
    String create(Actor actor, @Valid @ModelAttribute("form") NameForm form, BindingResult result, Model model, RedirectAttributes flash) {
        if (!result.hasErrors()) {
            try {
                organizations.create(actor, RequestFields.of(Map.of("username", form.getName())));
                flash.addFlashAttribute("flash", "Organization " + form.getName() + " created; you are its owner.");
                return "redirect:/organizations/" + form.getName();
            } catch (ApiException e) {
                Forms.reject(result, e, Map.of("username", "name"));
            }
        }
        return listView(actor, model);
    }

    private String listView(Actor actor, Model model) {
        model.addAttribute("organizations", directory.organizationsOf(actor));
        return "organizations/list";
    }

    @GetMapping("/organizations/{org}")
    String membersTab(Actor actor, @PathVariable String org, Model model) {
        model.addAttribute("form", new NameForm());
        return membersView(actor, org, model);
    }

    @PostMapping("/organizations/{org}/members")
    String addMember(Actor actor, @PathVariable String org, @Valid @ModelAttribute("form") NameForm form, BindingResult result,
                     Model model, RedirectAttributes flash) {
        policy.requireOrganization(actor, OrganizationAction.MANAGE_MEMBERS, org);
        if (!result.hasErrors()) {
            try {
                members.add(actor, org, RequestFields.of(Map.of("member", form.getName(), "role", form.getRole())));
                flash.addFlashAttribute("flash", form.getName() + " is now " + form.getRole() + " of " + org + ".");
                return "redirect:/organizations/" + org;
            } catch (ApiException e) {
                Forms.reject(result, e, Map.of("member", "name", "role", "role"));
            }
        }
        return membersView(actor, org, model);
    }

    @PostMapping("/organizations/{org}/members/role")
    String changeRole(Actor actor, @PathVariable String org, @RequestParam String member, @RequestParam String role, RedirectAttributes flash) {
        members.update(actor, org, member, RequestFields.of(Map.of("role", role)));
        flash.addFlashAttribute("flash", member + " is now " + role + ".");
        return "redirect:/organizations/" + org;
    }

    @PostMapping("/organizations/{org}/members/remove")
    String removeMember(Actor actor, @PathVariable String org, @RequestParam String member, RedirectAttributes flash) {
        members.remove(actor, org, member);
        flash.addFlashAttribute("flash", member + " was removed from " + org + ".");
        return "redirect:/organizations/" + org;
    }

    private String membersView(Actor actor, String org, Model model) {
        context(actor, org, model, "members");
        model.addAttribute("members", members.list(actor, org, new Page(null, 0)).rows());
        return "organization/members";
    }

    @GetMapping("/organizations/{org}/teams")
    String teamsTab(Actor actor, @PathVariable String org, Model model) {
        context(actor, org, model, "teams");
        model.addAttribute("teams", teams.list(actor, org));
        return "organization/teams";
    }

    @PostMapping("/organizations/{org}/teams")
    String createTeam(Actor actor, @PathVariable String org, @RequestParam String name, RedirectAttributes flash) {
        return teamChange(org, flash, () -> teams.create(actor, org, RequestFields.of(Map.of("team", name))), "Team " + name + " created.");
    }

    @PostMapping("/organizations/{org}/teams/{team}/rename")
    String renameTeam(Actor actor, @PathVariable String org, @PathVariable String team, @RequestParam String name, RedirectAttributes flash) {
        return teamChange(org, flash, () -> teams.rename(actor, org, team, RequestFields.of(Map.of("team", name))), "Team renamed to " + name + ".");
    }

    @PostMapping("/organizations/{org}/teams/{team}/delete")
    String deleteTeam(Actor actor, @PathVariable String org, @PathVariable String team, RedirectAttributes flash) {
        return teamChange(org, flash, () -> teams.delete(actor, org, team), "Team " + team + " deleted.");
    }

    @PostMapping("/organizations/{org}/teams/{team}/members")
    String addTeamMember(Actor actor, @PathVariable String org, @PathVariable String team, @RequestParam String member,
                         RedirectAttributes flash) {
        return teamChange(org, flash, () -> teams.addMember(actor, org, team, RequestFields.of(Map.of("member", member))),
                member + " joined " + team + ".");
    }

    @PostMapping("/organizations/{org}/teams/{team}/members/remove")
    String removeTeamMember(Actor actor, @PathVariable String org, @PathVariable String team, @RequestParam String member,
                            RedirectAttributes flash) {
        return teamChange(org, flash, () -> teams.removeMember(actor, org, team, member), member + " left " + team + ".");
    }

    /** Team forms are one field each: a refused change comes back as a message above the teams. */
    private static String teamChange(String org, RedirectAttributes flash, Runnable change, String done) {
        try {
            change.run();
            flash.addFlashAttribute("flash", done);
        } catch (ApiException e) {
            if (e.status().value() != 400) {
                throw e;
            }
            flash.addFlashAttribute("teamError", e.getMessage());
        }
        return "redirect:/organizations/" + org + "/teams";
    }

    @GetMapping("/organizations/{org}/settings")
    String settingsTab(Actor actor, @PathVariable String org, Model model) {
        policy.requireOrganization(actor, OrganizationAction.UPDATE_PROFILE, org);
        context(actor, org, model, "settings");
        return "organization/settings";
    }

    @PostMapping("/organizations/{org}/transfer")
    String transfer(Actor actor, @PathVariable String org, @RequestParam String newOwner, RedirectAttributes flash) {
        try {
            organizations.transfer(actor, org, RequestFields.of(Map.of("new_owner", newOwner)));
            flash.addFlashAttribute("flash", newOwner + " now owns " + org + "; you are an admin member.");
            return "redirect:/organizations/" + org;
        } catch (ApiException e) {
            if (e.status().value() != 400) {
                throw e;
            }
            flash.addFlashAttribute("settingsError", e.getMessage());
            return "redirect:/organizations/" + org + "/settings";
        }
    }

    @PostMapping("/organizations/{org}/delete")
    String delete(Actor actor, @PathVariable String org, @RequestParam(defaultValue = "") String confirm, RedirectAttributes flash) {
        try {
            organizations.delete(actor, org, RequestFields.of(Map.of("confirm", confirm)));
            flash.addFlashAttribute("flash", "Organization " + org + " was deleted with its projects.");
            return "redirect:/organizations";
        } catch (ApiException e) {
            if (e.status().value() != 400) {
                throw e;
            }
            flash.addFlashAttribute("settingsError", "Type the organization's name, " + org + ", to delete it.");
            return "redirect:/organizations/" + org + "/settings";
        }
    }

    /** Every organization tab: members only (others get 404, as the API's profile does). */
    OrganizationContext context(Actor actor, String org, Model model, String tab) {
        OrganizationContext ctx = new OrganizationContext(policy.requireOrganization(actor, OrganizationAction.READ_PROFILE, org));
        model.addAttribute("org", ctx);
        model.addAttribute("tab", tab);
        return ctx;
    }
}
