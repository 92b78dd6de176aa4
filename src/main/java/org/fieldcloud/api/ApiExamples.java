package org.fieldcloud.api;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Descriptions and request/response examples for the endpoints people try first in Swagger UI. Request bodies are
 * read through {@link RequestFields} (JSON, form or multipart alike), which springdoc cannot see, so they are
 * described here. Examples hold placeholders, never real credentials.
 */
@Component
class ApiExamples implements OpenApiCustomizer {

    private record Documented(String path, PathItem.HttpMethod method, String summary, String description,
                              Map<String, Object> request, Map<String, Object> response) { }

    private static final List<Documented> DOCUMENTED = List.of(
            new Documented("/api/v1/auth/login", PathItem.HttpMethod.POST, "Log in and get a token",
                    "Send a username (or e-mail) and password; use the returned token as 'Authorization: Token <token>'. "
                            + "Five failures per login and address lock that login for 30 minutes.",
                    Map.of("username", "surveyor", "password", "<password>"),
                    Map.of("token", "<token>", "expires_at", "2026-12-31T12:00:00Z", "username", "surveyor", "type", "1",
                            "email", "surveyor@example.org", "first_name", "", "last_name", "", "full_name", "")),
            new Documented("/api/v1/projects", PathItem.HttpMethod.POST, "Create a project",
                    "Leave out 'owner' for a personal project, or name an organization where you are owner, admin or creator.",
                    Map.of("name", "ninja_project", "owner", "ninja_org", "description", "Field survey", "is_public", false),
                    Map.of("id", "3fa85f64-5717-4562-b3fc-2c963f66afa6", "name", "ninja_project", "owner", "ninja_org", "is_public", false)),
            new Documented("/api/v1/collaborators/{project}", PathItem.HttpMethod.POST, "Add a collaborator",
                    "A person's username or '@organization/team'. Personal projects accept only 'reporter' and 'reader'; you may grant "
                            + "at most your own role.",
                    Map.of("collaborator", "surveyor", "role", "editor"),
                    Map.of("collaborator", "surveyor", "role", "editor", "is_incognito", false)),
            new Documented("/api/v1/projects/{projectId}/secrets", PathItem.HttpMethod.POST, "Add a project secret",
                    "Type 'envvar' (with 'name': capitals, digits, '_') or 'pgservice' (a pg_service.conf entry with exactly one "
                            + "[section]; the name becomes PG_SERVICE_<SECTION>). 'assigned_to' gives the secret to one collaborator "
                            + "(required for QFC_PG_EFFECTIVE_USER). The value is never returned. Needs the project role admin.",
                    Map.of("type", "pgservice", "value", "[ninja]\nhost=db.example.org\nport=5432\ndbname=gis\nuser=ninja_project\npassword=<password>",
                            "assigned_to", "surveyor"),
                    Map.of("id", 42, "name", "PG_SERVICE_NINJA", "type", "pgservice", "service_name", "ninja", "assigned_to", "surveyor",
                            "created_by", "admin", "created_at", "2026-12-04T10:00:00Z")),
            new Documented("/api/v1/organizations/{organization}/secrets", PathItem.HttpMethod.POST, "Add an organization secret",
                    "As for project secrets; reaches every project the organization owns unless the project defines the same name. "
                            + "Needs the organization owner or an admin.",
                    Map.of("type", "envvar", "name", "QFC_PG_EFFECTIVE_USER", "value", "user_surveyor", "assigned_to", "surveyor"),
                    Map.of("id", 43, "name", "QFC_PG_EFFECTIVE_USER", "type", "envvar", "assigned_to", "surveyor",
                            "created_by", "admin", "created_at", "2026-12-04T10:00:00Z")));

    @Override
    public void customise(OpenAPI openApi) {
        for (Documented d : DOCUMENTED) {
            PathItem item = openApi.getPaths() == null ? null : openApi.getPaths().get(d.path());
            Operation operation = item == null ? null : item.readOperationsMap().get(d.method());
            if (operation != null) {
                describe(operation, d);
            }
        }
    }

    private static void describe(Operation operation, Documented d) {
        operation.summary(d.summary()).description(d.description());
        operation.requestBody(new RequestBody().required(true).content(new Content()
                .addMediaType("application/json", new MediaType().schema(new ObjectSchema()).addExamples("example", new Example().value(d.request())))));
        operation.getResponses().entrySet().stream().filter(e -> e.getKey().startsWith("2")).findFirst()
                .ifPresent(e -> e.setValue(new ApiResponse().description("Success").content(new Content()
                        .addMediaType("application/json", new MediaType().schema(new ObjectSchema()).addExamples("example", new Example().value(d.response()))))));
    }
}
