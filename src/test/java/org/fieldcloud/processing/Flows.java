package org.fieldcloud.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.Multipart;
import org.fieldcloud.support.TestData;
import tools.jackson.databind.JsonNode;

/** What a QField/QFieldSync client does over HTTP: upload a project, push deltas, wait for their outcome. */
final class Flows {

    private final Http http;

    Flows(Http http) {
        this.http = http;
    }

    /** A minimal QGIS project with one PostGIS point layer reached through a pg_service. */
    static String postgisProject(String layerId, String service, String schema, String table, String key) {
        return """
                <!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
                <qgis version="3.34.0-Prizren" projectname="seed">
                  <title>seed</title>
                  <projectlayers>
                    <maplayer type="vector" geometry="Point" wkbType="Point">
                      <id>%s</id>
                      <datasource>service='%s' key='%s' srid=4326 type=Point checkPrimaryKeyUnicity='1' table="%s"."%s" (geom)</datasource>
                      <layername>%s</layername>
                      <srs><spatialrefsys><authid>EPSG:4326</authid></spatialrefsys></srs>
                      <provider encoding="">postgres</provider>
                    </maplayer>
                  </projectlayers>
                </qgis>
                """.formatted(layerId, service, key, schema, table, table);
    }

    void upload(TestData.User user, UUID project, String name, String content) {
        Http.Response r = new Multipart().file("file", name, content.getBytes(StandardCharsets.UTF_8))
                .post(http.as(user), "/api/v1/files/" + project + "/" + name + "/");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    void secret(TestData.User user, String path, Map<String, Object> body) {
        Http.Response r = http.as(user).post(path, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    static String pgService(String service, String db, String user, String password) {
        return "[" + service + "]\nhost=" + org.fieldcloud.support.PostgisDatabase.HOST + "\nport=" + org.fieldcloud.support.PostgisDatabase.PORT
                + "\ndbname=" + db + "\nuser=" + user + "\npassword=" + password + "\nsslmode=disable\n";
    }

    /** Pushes one deltafile with the given deltas (each a JSON object text without uuid/clientId) and returns its id. */
    UUID push(TestData.User user, UUID project, String layerId, List<String> deltas) {
        return push(user, project, layerId, null, deltas);
    }

    /** As above, every delta from one device ({@code clientId}; null: a new one for each delta). */
    UUID push(TestData.User user, UUID project, String layerId, UUID clientId, List<String> deltas) {
        UUID deltafile = UUID.randomUUID();
        StringBuilder items = new StringBuilder();
        for (String d : deltas) {
            if (!items.isEmpty()) items.append(',');
            items.append("{\"uuid\":\"").append(UUID.randomUUID()).append("\",\"clientId\":\"").append(clientId == null ? UUID.randomUUID() : clientId)
                    .append("\",\"exportId\":\"").append(UUID.randomUUID()).append("\",\"localLayerId\":\"").append(layerId)
                    .append("\",\"sourceLayerId\":\"").append(layerId).append("\",").append(d).append('}');
        }
        String file = "{\"version\":\"1.0\",\"id\":\"" + deltafile + "\",\"project\":\"" + project + "\",\"files\":[],\"deltas\":[" + items + "]}";
        Http.Response r = new Multipart().file("file", "deltafile.json", file.getBytes(StandardCharsets.UTF_8))
                .post(http.as(user), "/api/v1/deltas/" + project + "/");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return deltafile;
    }

    static String create(String wkt, String attributesJson) {
        return create(UUID.randomUUID().toString(), wkt, attributesJson);
    }

    static String create(String localPk, String wkt, String attributesJson) {
        return "\"localPk\":\"" + localPk + "\",\"sourcePk\":\"\",\"method\":\"create\",\"new\":{\"geometry\":\"" + wkt
                + "\",\"attributes\":" + attributesJson + "}";
    }

    static String patch(String pk, String oldAttributes, String newAttributes) {
        return "\"localPk\":\"" + pk + "\",\"sourcePk\":\"" + pk + "\",\"method\":\"patch\",\"old\":{\"attributes\":" + oldAttributes
                + "},\"new\":{\"attributes\":" + newAttributes + "}";
    }

    /** Waits until every delta of the deltafile has left pending/started, and returns them. */
    JsonNode awaitDeltas(TestData.User user, UUID project, UUID deltafile) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        JsonNode deltas = null;
        while (Instant.now().isBefore(deadline)) {
            deltas = http.as(user).get("/api/v1/deltas/" + project + "/" + deltafile + "/").json();
            boolean done = deltas.size() > 0;
            for (JsonNode d : deltas) {
                String s = d.get("last_status").asString();
                done &= !s.equals("pending") && !s.equals("started");
            }
            if (done) {
                return deltas;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("deltas of " + deltafile + " were not applied within 60 s: " + deltas);
    }

    /** Every job of the project as its managers see them (output and feedback included). */
    String allJobs(TestData.User manager, UUID project) {
        return http.as(manager).get("/api/v1/jobs/?project_id=" + project).text();
    }
}
