package org.fieldcloud.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.accounts.OrganizationDirectory;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.api.RequestFields;
import org.fieldcloud.deltas.Deltas;
import org.fieldcloud.files.FileActions;
import org.fieldcloud.jobs.Job;
import org.fieldcloud.jobs.Jobs;
import org.fieldcloud.permissions.Policy;
import org.fieldcloud.permissions.ProjectAction;
import org.fieldcloud.projects.Projects;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The projects list, the new-project form and the project page's Files, Jobs, Changes and Package tabs. */
@Controller
class ProjectPages {

    static final int JOBS_SHOWN = 20;
    static final int DELTAS_SHOWN = 100;

    private final Policy policy;
    private final Projects projects;
    private final FileActions files;
    private final Jobs jobs;
    private final Deltas deltas;
    private final OrganizationDirectory organizations;

    ProjectPages(Policy policy, Projects projects, FileActions files, Jobs jobs, Deltas deltas, OrganizationDirectory organizations) {
        this.policy = policy;
        this.projects = projects;
        this.files = files;
        this.jobs = jobs;
        this.deltas = deltas;
        this.organizations = organizations;
    }

    static final class ProjectForm {
        @NotBlank(message = "Give the project a name.")
        @Size(max = 255, message = "At most 255 characters.")
        @Pattern(regexp = "^[A-Za-z0-9][-A-Za-z0-9_.]*$", message = "Letters, digits, '-', '_' and '.', starting with a letter or digit.")
        private String name = "";
        @Size(max = 1000, message = "At most 1000 characters.")
        private String description = "";
        private String owner = "";
        private boolean isPublic;

        public String getName() { return name; }
        public void setName(String name) { this.name = name == null ? "" : name.trim(); }
        public String getDescription() { return description; }
        public void setDescription(String description) { this.description = description == null ? "" : description; }
        public String getOwner() { return owner; }
        public void setOwner(String owner) { this.owner = owner == null ? "" : owner; }
        public boolean getIsPublic() { return isPublic; }
        public void setIsPublic(boolean isPublic) { this.isPublic = isPublic; }
    }

    /** {@code search} and {@code include_public} are the API list's own parameters, handed on as they are. */
    @GetMapping("/projects")
    String list(Actor actor, HttpServletRequest request, Model model) {
        model.addAttribute("projects", projects.listForPage(actor, request));
        model.addAttribute("search", request.getParameter("search"));
        model.addAttribute("includePublic", "1".equals(request.getParameter("include_public")));
        return "projects/list";
    }

    @GetMapping("/projects/new")
    String newProject(Actor actor, Model model) {
        model.addAttribute("form", new ProjectForm());
        return newProjectView(actor, model);
    }

    @PostMapping("/projects/new")
    String create(Actor actor, @Valid @ModelAttribute("form") ProjectForm form, BindingResult result, Model model,
                  RedirectAttributes flash) {
        if (result.hasErrors()) {
            return newProjectView(actor, model);
        }
        Map<String, Object> fields = new HashMap<>(Map.of("name", form.getName(), "description", form.getDescription(),
                "is_public", form.getIsPublic()));
        if (!form.getOwner().isEmpty()) {
            fields.put("owner", form.getOwner());
        }
        try {
            Map<String, Object> created = projects.create(actor, RequestFields.of(fields));
            flash.addFlashAttribute("flash", "Project " + form.getName() + " created. Upload its QGIS project file next.");
            return "redirect:/projects/" + created.get("id") + "/files";
        } catch (ApiException e) {
            Forms.reject(result, e, Map.of("name", "name", "owner", "owner", "description", "description"));
            return newProjectView(actor, model);
        }
    }

    private String newProjectView(Actor actor, Model model) {
        model.addAttribute("owners", organizations.organizationsOf(actor).stream()
                .filter(o -> List.of("admin", "creator").contains(String.valueOf(o.get("membership_role"))))
                .map(o -> o.get("username")).toList());
        return "projects/new";
    }

    @GetMapping("/projects/{id}")
    String project(@PathVariable UUID id) {
        return "redirect:/projects/" + id + "/files";
    }

    @GetMapping("/projects/{id}/files")
    String filesTab(Actor actor, @PathVariable UUID id, Model model) {
        ProjectContext ctx = context(actor, id, model, "files");
        model.addAttribute("files", files.list(actor, ctx.access().projectId()));
        return "project/files";
    }

    /**
     * Called by the page's upload script (XHR, for the progress bar); the body streams into storage. The file name
     * is in the path: reading a query parameter would make the container parse the whole multipart body first.
     */
    @PostMapping("/projects/{id}/files/upload/{*name}")
    @ResponseBody
    ResponseEntity<Map<String, String>> upload(Actor actor, @PathVariable UUID id, @PathVariable String name,
                                               HttpServletRequest request) throws IOException {
        name = name.startsWith("/") ? name.substring(1) : name;
        try {
            files.upload(actor, id, name, request);
            return ResponseEntity.ok(Map.of("message", "Uploaded " + name + "."));
        } catch (ApiException e) {
            return ResponseEntity.status(e.status()).body(Map.of("message", e.getMessage()));
        }
    }

    @GetMapping("/projects/{id}/thumbnail")
    void thumbnail(Actor actor, @PathVariable UUID id, HttpServletResponse response) throws IOException {
        files.sendThumbnail(actor, id, true, response);
    }

    @GetMapping("/projects/{id}/files/download")
    void download(Actor actor, @PathVariable UUID id, @RequestParam("name") String name, HttpServletRequest request,
                  HttpServletResponse response) throws IOException {
        files.download(actor, id, name, request, response);
    }

    @PostMapping("/projects/{id}/files/delete")
    String deleteFile(Actor actor, @PathVariable UUID id, @RequestParam("name") String name, RedirectAttributes flash) {
        files.delete(actor, id, name);
        flash.addFlashAttribute("flash", "Deleted " + name + " and all its versions.");
        return "redirect:/projects/" + id + "/files";
    }

    @GetMapping("/projects/{id}/jobs")
    String jobsTab(Actor actor, @PathVariable UUID id, Model model) {
        context(actor, id, model, "jobs");
        return "project/jobs";
    }

    /** The jobs table alone, polled by htmx while a job is queued or running. */
    @GetMapping("/projects/{id}/jobs/rows")
    String jobRows(Actor actor, @PathVariable UUID id, Model model) {
        context(actor, id, model, "jobs");
        return "project/jobs :: rows";
    }

    @GetMapping("/projects/{id}/changes")
    String changesTab(Actor actor, @PathVariable UUID id, Model model) {
        ProjectContext ctx = context(actor, id, model, "changes");
        policy.requireProject(actor, ProjectAction.READ_DELTAS, id);
        model.addAttribute("deltas", deltas.newest(ctx.access().projectId(), DELTAS_SHOWN));
        return "project/changes";
    }

    @GetMapping("/projects/{id}/package")
    String packageTab(Actor actor, @PathVariable UUID id, Model model) {
        ProjectContext ctx = context(actor, id, model, "package");
        model.addAttribute("latest", jobs.recent(ctx.access().projectId(), true, 1).stream().findFirst().orElse(null));
        return "project/package";
    }

    @PostMapping("/projects/{id}/package")
    String packageNow(Actor actor, @PathVariable UUID id, RedirectAttributes flash) {
        Policy.ProjectAccess access = policy.requireProject(actor, ProjectAction.PACKAGE, id);
        if (!"regular".equals(access.projectType())) {
            throw ApiException.badRequest("Only regular projects can be packaged.");
        }
        jobs.enqueue(access.projectId(), Job.PACKAGE, actor.userId(), Map.of(), true);
        flash.addFlashAttribute("flash", "Packaging started.");
        return "redirect:/projects/" + id + "/package";
    }

    /** Every project tab: the project (READ_PROJECT), the person's relation to it, and the jobs the tab bar needs. */
    ProjectContext context(Actor actor, UUID id, Model model, String tab) {
        Map<String, Object> project = projects.get(actor, id);
        Policy.ProjectAccess access = policy.projectAccess(actor, id).orElseThrow();
        ProjectContext ctx = new ProjectContext(project, access, files.hasThumbnail(actor, id));
        model.addAttribute("ctx", ctx);
        model.addAttribute("tab", tab);
        if ("jobs".equals(tab)) {
            List<Job> recent = jobs.recent(access.projectId(), !ctx.may("READ_JOBS"), JOBS_SHOWN);
            model.addAttribute("jobs", recent);
            model.addAttribute("live", recent.stream().anyMatch(j -> List.of("pending", "queued", "started").contains(j.status())));
        }
        return ctx;
    }
}
