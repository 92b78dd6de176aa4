package org.fieldcloud.deltas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.fieldcloud.support.Http;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reference's deltafile fixtures, re-targeted for a test: the project id is replaced and every delta
 * uuid is made unique by a per-test salt (delta uuids are global keys, and all tests share one database).
 */
final class DeltaFixtures {

    private DeltaFixtures() { }

    static byte[] load(String name, UUID projectId, String salt) {
        ObjectNode root = (ObjectNode) Http.JSON.readTree(read(name));
        root.put("project", projectId.toString());
        for (var delta : (ArrayNode) root.get("deltas")) {
            String original = delta.get("uuid").asString();
            ((ObjectNode) delta).put("uuid", UUID.nameUUIDFromBytes((salt + original).getBytes(StandardCharsets.UTF_8)).toString());
        }
        return Http.JSON.writeValueAsBytes(root);
    }

    static String read(String name) {
        try (InputStream in = DeltaFixtures.class.getResourceAsStream("/deltas/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(new IOException("missing test resource /deltas/" + name));
        }
    }
}
