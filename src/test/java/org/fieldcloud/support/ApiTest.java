package org.fieldcloud.support;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the API tests: one real server on a random port with its embedded PostgreSQL in a fresh
 * data directory under target/, shared by all test classes (Spring caches the context). Tests create
 * their own uniquely named accounts and projects, so they do not depend on each other.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ApiTest {

    /** Small, so that project files beyond the bound are cheap to build; the largest fixture is about 200 KB. */
    public static final long QGIS_MAX_PROJECT_FILE_BYTES = 1024 * 1024;

    public static final String METRICS_TOKEN = "metrics-" + UUID.randomUUID();

    private static final Path DATA_DIR = Path.of("target", "test-data", UUID.randomUUID().toString());

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("fieldcloud.data-dir", DATA_DIR::toString);
        registry.add("fieldcloud.admin.username", () -> "root");
        registry.add("fieldcloud.admin.password", () -> "root-password-for-tests");
        registry.add("fieldcloud.workers", () -> "2");
        registry.add("fieldcloud.jobs.heartbeat-seconds", () -> "1");
        // One password check at a time: fewer than the machine's carrier threads, so a missing cap shows as a peak above it.
        registry.add("fieldcloud.login.max-concurrent-hash-checks", () -> "1");
        registry.add("fieldcloud.login.hash-wait", () -> "3s");
        registry.add("fieldcloud.metrics.token", () -> METRICS_TOKEN);
        registry.add("fieldcloud.qgis.max-project-file-bytes", () -> String.valueOf(QGIS_MAX_PROJECT_FILE_BYTES));
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected TestData data;

    protected Http http;

    @BeforeEach
    void setUpHttp() {
        http = new Http("http://localhost:" + port);
    }

    public static Path dataDir() {
        return DATA_DIR;
    }
}
