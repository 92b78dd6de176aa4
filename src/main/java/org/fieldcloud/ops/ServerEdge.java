package org.fieldcloud.ops;

import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.catalina.valves.RemoteIpValve;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * What the server shows the network (issue 13):
 * <ul>
 *   <li><b>HTTPS</b> directly, when {@code FIELDCLOUD_TLS_CERTIFICATE} and {@code FIELDCLOUD_TLS_PRIVATE_KEY} name PEM
 *   files, or {@code FIELDCLOUD_TLS_KEYSTORE} (+ {@code _PASSWORD}) a PKCS#12 keystore. Responses over HTTPS carry
 *   HSTS (Spring Security's default for secure requests).</li>
 *   <li><b>Behind a reverse proxy</b>: {@code X-Forwarded-For} / {@code -Proto} are believed only from the addresses in
 *   {@code FIELDCLOUD_TRUSTED_PROXIES} (comma-separated IPs). Without it they are ignored, so a client cannot pick
 *   the address its failed logins are counted against (the lock-out key).</li>
 * </ul>
 */
@Component
class ServerEdge implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private final String certificate;
    private final String privateKey;
    private final String keystore;
    private final String keystorePassword;
    private final String trustedProxies;

    ServerEdge(@Value("${fieldcloud.tls.certificate:}") String certificate, @Value("${fieldcloud.tls.private-key:}") String privateKey,
               @Value("${fieldcloud.tls.keystore:}") String keystore, @Value("${fieldcloud.tls.keystore-password:}") String keystorePassword,
               @Value("${fieldcloud.trusted-proxies:}") String trustedProxies) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.keystore = keystore;
        this.keystorePassword = keystorePassword;
        this.trustedProxies = trustedProxies;
        if (certificate.isBlank() != privateKey.isBlank()) {
            throw new IllegalStateException("Set both FIELDCLOUD_TLS_CERTIFICATE and FIELDCLOUD_TLS_PRIVATE_KEY (PEM files), or neither.");
        }
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        tls().ifPresent(factory::setSsl);
        if (!trustedProxies.isBlank()) {
            factory.addEngineValves(remoteIpValve(trustedProxies));
        }
    }

    private java.util.Optional<Ssl> tls() {
        if (!certificate.isBlank()) {
            Ssl ssl = new Ssl();
            ssl.setCertificate("file:" + certificate);
            ssl.setCertificatePrivateKey("file:" + privateKey);
            return java.util.Optional.of(ssl);
        }
        if (!keystore.isBlank()) {
            Ssl ssl = new Ssl();
            ssl.setKeyStore("file:" + keystore);
            ssl.setKeyStorePassword(keystorePassword);
            ssl.setKeyStoreType("PKCS12");
            return java.util.Optional.of(ssl);
        }
        return java.util.Optional.empty();
    }

    static RemoteIpValve remoteIpValve(String proxies) {
        String exact = Arrays.stream(proxies.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(ServerEdge::checkedAddress)
                .map(Pattern::quote).collect(Collectors.joining("|"));
        RemoteIpValve valve = new RemoteIpValve();
        // Only these addresses are believed; Tomcat's default would also trust every private network.
        valve.setInternalProxies("^(?:" + exact + ")$");
        valve.setTrustedProxies("");
        valve.setRemoteIpHeader("X-Forwarded-For");
        valve.setProtocolHeader("X-Forwarded-Proto");
        return valve;
    }

    private static String checkedAddress(String ip) {
        if (!ip.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
            throw new IllegalStateException("FIELDCLOUD_TRUSTED_PROXIES: '" + ip + "' is not an IP address (names and networks are not accepted).");
        }
        return ip;
    }
}
