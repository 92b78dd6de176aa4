package org.fieldcloud.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.PostgisDatabase;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A handler path that really prints a secret value: a delta whose attribute equals a secret is refused by
 * PostgreSQL with an error that quotes the value, and that error becomes the delta's feedback, the job's log
 * and the job's feedback. The value — with a quote and a backslash in it, so its JSON form differs from its raw
 * form — must appear in none of them, raw or JSON-escaped, while the mask shows where it was.
 */
class JobOutputMaskingTest extends ApiTest {

    private static final String SUFFIX = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String LOGIN = "fc_masking_" + SUFFIX;
    private static final String LOGIN_PASSWORD = "masking-" + UUID.randomUUID();
    private static PostgisDatabase db;

    @BeforeAll
    static void database() {
        PostgisDatabase.executeOnCluster("CREATE ROLE " + LOGIN + " LOGIN PASSWORD '" + LOGIN_PASSWORD + "'");
        db = PostgisDatabase.create("fc_masking");
        db.execute("CREATE TABLE readings (id serial PRIMARY KEY, geom geometry(Point, 4326), code integer);"
                + "GRANT ALL ON readings TO " + LOGIN + "; GRANT USAGE, SELECT ON SEQUENCE readings_id_seq TO " + LOGIN + ";");
    }

    @AfterAll
    static void drop() {
        db.close();
        PostgisDatabase.executeOnCluster("DROP ROLE " + LOGIN);
    }

    @Test
    void aSecretQuotedByADatabaseErrorIsMaskedInDeltaFeedbackJobLogAndJobFeedback() throws Exception {
        Flows flows = new Flows(http);
        TestData.User owner = data.person("maskowner");
        UUID project = UUID.fromString(http.as(owner).post("/api/v1/projects/", Map.of("name", TestData.unique("mask"))).json().get("id").asString());
        String layer = "readings_" + UUID.randomUUID().toString().replace('-', '_');
        flows.upload(owner, project, "mask.qgs", Flows.postgisProject(layer, "mask", "public", "readings", "id"));
        flows.secret(owner, "/api/v1/projects/" + project + "/secrets/",
                Map.of("type", "pgservice", "value", Flows.pgService("mask", db.name(), LOGIN, LOGIN_PASSWORD)));
        String secret = "tok\"en\\" + UUID.randomUUID();
        String jsonForm = secret.replace("\\", "\\\\").replace("\"", "\\\"");
        flows.secret(owner, "/api/v1/projects/" + project + "/secrets/", Map.of("type", "envvar", "name", "SURVEY_CODE", "value", secret));

        UUID deltafile = flows.push(owner, project, layer, List.of(Flows.create("POINT (7 46)", "{\"code\":\"" + jsonForm + "\"}")));
        JsonNode delta = flows.awaitDeltas(owner, project, deltafile).get(0);

        assertThat(delta.get("last_status").asString()).isEqualTo("not_applied");
        assertThat(delta.get("last_feedback").get("msg").asString()).as("the database error quoted the value, masked")
                .contains("invalid input syntax for type integer").contains("***");
        // The pushed delta itself holds the value (the surveyor typed it); its outcome and the job must not.
        String feedback = delta.get("last_feedback").toString();
        String jobs = flows.allJobs(owner, project);
        String tail = secret.substring(secret.length() - 36);
        for (String text : List.of(feedback, jobs)) {
            assertThat(text).doesNotContain(secret).doesNotContain(jsonForm).doesNotContain(tail);
        }
        assertThat(jobs).as("the job log carries the masked error too").contains("invalid input syntax for type integer");
    }
}
