package org.fieldcloud.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;
import org.fieldcloud.support.Http;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Security item 7b, second option: with FIELDCLOUD_MANAGEMENT_PORT the actuator leaves the API port. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ManagementPortTest {

    private static final Path DATA_DIR = Path.of("target", "test-data", "management-" + UUID.randomUUID());

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("fieldcloud.data-dir", DATA_DIR::toString);
        registry.add("fieldcloud.workers", () -> "0");
        registry.add("fieldcloud.qgis.max-project-file-bytes", () -> String.valueOf(org.fieldcloud.support.ApiTest.QGIS_MAX_PROJECT_FILE_BYTES));
        registry.add("management.server.port", () -> "0");
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Test
    void actuatorMovesToTheManagementPortAndMetricsThereStillNeedAToken() {
        Http api = new Http("http://localhost:" + port);
        Http management = new Http("http://localhost:" + managementPort);
        assertThat(managementPort).isNotEqualTo(port);
        assertThat(api.get("/actuator/health").status()).as("not on the API port").isEqualTo(404);
        assertThat(api.get("/actuator/prometheus").status()).isIn(401, 404);
        assertThat(management.get("/actuator/health").json().get("status").asString()).isEqualTo("UP");
        Http.Response metrics = management.get("/actuator/prometheus");
        assertThat(metrics.status()).as(metrics.toString()).isEqualTo(401);
    }
}
