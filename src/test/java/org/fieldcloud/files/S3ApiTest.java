package org.fieldcloud.files;

import java.net.URI;
import java.nio.file.Path;
import java.util.UUID;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.S3Store;
import org.fieldcloud.support.TestData;
import org.gaul.s3proxy.S3Proxy;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Base of the tests that run the server with {@code fieldcloud.storage=s3} against an in-process s3proxy
 * (filesystem blob store under target/, random loopback port). Its own Spring context and data directory,
 * separate from support.ApiTest's, shared by every test class that extends it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class S3ApiTest {

    static final String ACCESS_KEY = "fieldcloud-test-access";
    static final String SECRET_KEY = "fieldcloud-test-" + UUID.randomUUID();
    static final String BUCKET = "fieldcloud-test";
    private static final Path DATA_DIR = Path.of("target", "test-data", "s3-" + UUID.randomUUID());
    static final S3Proxy PROXY = startProxy();

    @DynamicPropertySource
    static void s3(DynamicPropertyRegistry registry) {
        registry.add("fieldcloud.data-dir", DATA_DIR::toString);
        registry.add("fieldcloud.admin.username", () -> "root");
        registry.add("fieldcloud.admin.password", () -> "root-password-for-tests");
        registry.add("fieldcloud.storage", () -> "s3");
        registry.add("fieldcloud.s3.endpoint", S3ApiTest::endpoint);
        registry.add("fieldcloud.s3.bucket", () -> BUCKET);
        registry.add("fieldcloud.s3.region", () -> "us-east-1");
        registry.add("fieldcloud.s3.access-key", () -> ACCESS_KEY);
        registry.add("fieldcloud.s3.secret-key", () -> SECRET_KEY);
        registry.add("fieldcloud.s3.path-style", () -> "true");
        // The job-side QGIS reader keeps one bound per JVM: every test context must configure the same one.
        registry.add("fieldcloud.qgis.max-project-file-bytes", () -> String.valueOf(org.fieldcloud.support.ApiTest.QGIS_MAX_PROJECT_FILE_BYTES));
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

    static String endpoint() {
        return "http://127.0.0.1:" + PROXY.getPort();
    }

    /** A client of the same store, to look at what the server wrote. */
    static S3Client client() {
        return S3Client.builder().endpointOverride(URI.create(endpoint())).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY))).build();
    }

    private static S3Proxy startProxy() {
        return S3Store.start(DATA_DIR.resolve("s3proxy"), 0, ACCESS_KEY, SECRET_KEY);
    }
}
