package org.fieldcloud.deltas;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.api.Page;
import org.fieldcloud.api.RequestFields;
import org.fieldcloud.permissions.Policy;
import org.fieldcloud.permissions.ProjectAction;
import org.fieldcloud.permissions.ProjectRole;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

/**
 * {@code /api/v1/deltas/}: push deltafiles (multipart field {@code file}), list deltas, set a delta's
 * status, and the deprecated apply trigger. Unlike the reference, a refused deltafile is a 400
 * {@code invalid_deltafile} naming the problem (the reference answers 500); the raw file is kept.
 */
@RestController
@RequestMapping("/api/v1/deltas")
class DeltasController {

    private static final long MAX_DELTAFILE_BYTES = 64L * 1024 * 1024;

    private final Policy policy;
    private final Deltas deltas;

    DeltasController(Policy policy, Deltas deltas) {
        this.policy = policy;
        this.deltas = deltas;
    }

    @PostMapping("/{projectId}")
    ResponseEntity<Void> push(Actor actor, @PathVariable UUID projectId, HttpServletRequest request) throws IOException {
        Policy.ProjectAccess access = policy.requireProject(actor, ProjectAction.PUSH_DELTAS, projectId);
        MultipartFile file = singleFile(request);
        if (file.getSize() > MAX_DELTAFILE_BYTES) {
            throw ApiException.badRequest("The deltafile is larger than 64 MiB; push it in several parts.");
        }
        boolean mayModify = access.role().atLeast(ProjectRole.EDITOR);
        deltas.push(access, actor.userId(), mayModify, file.getBytes(), request.getHeader("User-Agent"));
        return ResponseEntity.ok().build();
    }

    @GetMapping("/{projectId}")
    ResponseEntity<List<Map<String, Object>>> list(Actor actor, @PathVariable UUID projectId, HttpServletRequest request) {
        policy.requireProject(actor, ProjectAction.READ_DELTAS, projectId);
        String ordering = request.getParameter("ordering");
        if (ordering != null && !ordering.equals("created_at") && !ordering.equals("-created_at")) {
            throw ApiException.badRequest("Query parameter 'ordering' must be 'created_at' or '-created_at'.");
        }
        Page page = Page.from(request);
        return page.respond(deltas.list(projectId, null, "-created_at".equals(ordering), page), deltas.count(projectId, null));
    }

    @GetMapping("/{projectId}/{deltafileId}")
    ResponseEntity<List<Map<String, Object>>> deltafile(Actor actor, @PathVariable UUID projectId, @PathVariable UUID deltafileId,
                                                        HttpServletRequest request) {
        policy.requireProject(actor, ProjectAction.READ_DELTAS, projectId);
        Page page = Page.from(request);
        return page.respond(deltas.list(projectId, deltafileId, false, page), deltas.count(projectId, deltafileId));
    }

    /** Sets one delta's status by hand: {@code pending} (retry), {@code ignored} or {@code unpermitted}. */
    @PostMapping("/{projectId}/{deltaId}/status")
    Map<String, Object> setStatus(Actor actor, @PathVariable UUID projectId, @PathVariable UUID deltaId, RequestFields body) {
        policy.requireProject(actor, ProjectAction.APPLY_DELTAS, projectId);
        String status = body.choice("status", DeltaStatus.SETTABLE)
                .orElseThrow(() -> ApiException.badRequest("Field 'status' is required: one of " + DeltaStatus.SETTABLE.stream().sorted().toList() + "."));
        return deltas.setStatus(projectId, deltaId, DeltaStatus.fromRaw(status), actor.userId());
    }

    /** Deprecated in the reference but still used by older clients: queue an apply of pending deltas. */
    @PostMapping("/apply/{projectId}")
    ResponseEntity<Void> apply(Actor actor, @PathVariable UUID projectId) {
        policy.requireProject(actor, ProjectAction.APPLY_DELTAS, projectId);
        deltas.requestApply(projectId, actor.userId());
        return ResponseEntity.ok().build();
    }

    private static MultipartFile singleFile(HttpServletRequest request) {
        if (!(request instanceof MultipartHttpServletRequest multipart)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "empty_content", "Send the deltafile as multipart/form-data in a field named 'file'.");
        }
        List<MultipartFile> files = multipart.getFiles("file");
        if (files.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "empty_content", "No multipart field named 'file' was sent; the deltafile goes there.");
        }
        if (files.size() > 1) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "multiple_contents", "Send exactly one 'file' field per push, got " + files.size() + ".");
        }
        return files.get(0);
    }
}
