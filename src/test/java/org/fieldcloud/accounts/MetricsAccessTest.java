package org.fieldcloud.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.junit.jupiter.api.Test;

/** Security item 7b: /actuator/prometheus was open to anyone. */
class MetricsAccessTest extends ApiTest {

    @Test
    void metricsNeedAStaffTokenOrTheMetricsTokenWhileHealthStaysPublic() {
        Http.Response anonymous = http.get("/actuator/prometheus");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().get("code").asString()).isEqualTo("not_authenticated");
        assertThat(anonymous.text()).doesNotContain("jvm_memory");
        Http.Response person = http.as(data.person("curious")).get("/actuator/prometheus");
        assertThat(person.status()).isEqualTo(403);
        assertThat(person.text()).doesNotContain("jvm_memory");
        Http.Response wrongBearer = http.header("Authorization", "Bearer not-" + METRICS_TOKEN).get("/actuator/prometheus");
        assertThat(wrongBearer.status()).isEqualTo(401);

        Http.Response scraper = http.header("Authorization", "Bearer " + METRICS_TOKEN).get("/actuator/prometheus");
        assertThat(scraper.status()).isEqualTo(200);
        assertThat(scraper.text()).contains("jvm_memory_used_bytes").contains("fieldcloud_login_hash_checks_peak");
        assertThat(http.as(data.staff("operator")).get("/actuator/prometheus").status()).isEqualTo(200);

        Http.Response health = http.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(health.json().has("components")).as("status only, no details").isFalse();
        assertThat(health.json().has("details")).isFalse();
    }
}
