package org.fieldcloud.deltas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Parses a pushed deltafile and checks it against the deltafile JSON schema (draft-07) plus the rules the
 * schema cannot state: uuids that parse, a {@code clientId} on every delta, and a project id equal to
 * the one in the URL. Every problem is reported with its JSON location so the device's author can fix it.
 */
@Component
class DeltafileParser {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonSchema schema;

    DeltafileParser() {
        try (InputStream in = DeltafileParser.class.getResourceAsStream("/deltas/deltafile_01.schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the deltafile schema", e);
        }
    }

    record Delta(UUID uuid, UUID clientId, String method, JsonNode content) { }

    record Deltafile(UUID id, UUID project, List<Delta> deltas, JsonNode clientPks) { }

    /** Thrown for any refused deltafile; {@code deltafileId} is known when the JSON got far enough. */
    static final class Invalid extends RuntimeException {
        final UUID deltafileId;

        Invalid(String message, UUID deltafileId) {
            super(message);
            this.deltafileId = deltafileId;
        }
    }

    Deltafile parse(byte[] raw) {
        // Devices may send NUL escapes, which PostgreSQL's jsonb cannot hold; the reference drops them too.
        String text = new String(raw, StandardCharsets.UTF_8).replace("\\u0000", "");
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new Invalid("The deltafile is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "." : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")."), null);
        }
        if (root == null || !root.isObject()) {
            throw new Invalid("The deltafile must be a JSON object.", null);
        }
        UUID id = uuidOrNull(root.path("id"));
        Set<ValidationMessage> errors = schema.validate(root);
        if (!errors.isEmpty()) {
            throw new Invalid("The deltafile does not match the deltafile schema: "
                    + errors.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; ")), id);
        }
        UUID project = uuid(root.get("project"), "$.project", id);
        if (id == null) {
            throw new Invalid("$.id must be a uuid, got " + root.get("id") + ".", null);
        }
        List<Delta> deltas = new ArrayList<>();
        JsonNode items = root.get("deltas");
        for (int i = 0; i < items.size(); i++) {
            JsonNode d = items.get(i);
            String where = "$.deltas[" + i + "]";
            if (!d.hasNonNull("clientId")) {
                throw new Invalid(where + ".clientId is required (the device that made the delta).", id);
            }
            deltas.add(new Delta(uuid(d.get("uuid"), where + ".uuid", id), uuid(d.get("clientId"), where + ".clientId", id),
                    d.get("method").asText(), d));
        }
        return new Deltafile(id, project, deltas, root.get("clientPks"));
    }

    private static UUID uuid(JsonNode node, String where, UUID deltafileId) {
        UUID value = uuidOrNull(node);
        if (value == null) {
            throw new Invalid(where + " must be a uuid, got " + node + ".", deltafileId);
        }
        return value;
    }

    private static UUID uuidOrNull(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        try {
            return UUID.fromString(node.asText());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
