package org.fieldcloud.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.util.Map;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.ServerProcess;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: HTTPS served directly from a configured keystore, with HSTS; forwarded client addresses believed only
 * from configured proxies, so that the lock-out key (username, client address) cannot be spoofed.
 */
class ServerEdgeTest extends ApiTest {

    private static final String ADMIN_PASSWORD = "edge-admin-password";
    private static ServerProcess node;
    private static HttpClient tls;
    private static URI base;

    @BeforeAll
    static void startAnHttpsNodeBehindAProxyAt127001() throws Exception {
        Path dir = Files.createTempDirectory(dataDir().toAbsolutePath().getParent(), "edge-");
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "fc",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "edge-store").redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        node = ServerProcess.serve(dir, dir.resolve("serve.log"), Map.of("FIELDCLOUD_WORKERS", "0",
                "FIELDCLOUD_ADMIN_USERNAME", "edgeadmin", "FIELDCLOUD_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "FIELDCLOUD_TLS_KEYSTORE", keystore.toString(), "FIELDCLOUD_TLS_KEYSTORE_PASSWORD", "edge-store",
                "FIELDCLOUD_TRUSTED_PROXIES", "127.0.0.1"));
        tls = HttpClient.newBuilder().sslContext(trusting(keystore)).connectTimeout(Duration.ofSeconds(5)).build();
        base = URI.create("https://localhost:" + node.port());
        node.awaitUp(() -> get("/api/v1/status/").statusCode() == 200);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        node.close();
    }

    @Test
    void httpsIsServedWithHsts() throws Exception {
        HttpResponse<String> status = get("/api/v1/status/");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(h -> assertThat(h).contains("max-age="));
    }

    @Test
    void forwardedAddressesFromTheConfiguredProxyAreTheLockOutKey() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(login("edgeadmin", "wrong", "203.0.113.5").statusCode()).isEqualTo(401);
        }
        assertThat(login("edgeadmin", ADMIN_PASSWORD, "203.0.113.5").body()).as("that client is locked out").contains("too_many_failed_login_attempts");
        assertThat(login("edgeadmin", ADMIN_PASSWORD, "203.0.113.6").statusCode()).as("another client behind the proxy is not").isEqualTo(200);
    }

    @Test
    void withoutConfiguredProxiesAForgedForwardedAddressChangesNothing() {
        TestData.User person = data.person("spoofer");
        for (int i = 0; i < 5; i++) {
            assertThat(http.header("X-Forwarded-For", "198.51.100." + i).post("/api/v1/auth/login/",
                    java.util.Map.of("username", person.username(), "password", "wrong")).status()).isEqualTo(401);
        }
        var locked = http.header("X-Forwarded-For", "198.51.100.99").post("/api/v1/auth/login/",
                java.util.Map.of("username", person.username(), "password", TestData.PASSWORD));
        assertThat(locked.text()).as("all five failures counted against the real address").contains("too_many_failed_login_attempts");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return tls.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> login(String user, String password, String forwardedFor) throws Exception {
        String body = "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
        return tls.send(HttpRequest.newBuilder(base.resolve("/api/v1/auth/login/")).header("Content-Type", "application/json")
                .header("X-Forwarded-For", forwardedFor).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "edge-store".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
