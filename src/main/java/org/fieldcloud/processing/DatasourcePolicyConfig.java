package org.fieldcloud.processing;

import java.util.ArrayList;
import java.util.List;
import org.fieldcloud.deltas.apply.DatasourceHostPolicy;
import org.fieldcloud.ops.DatabaseConfig;
import org.fieldcloud.ops.FieldCloudSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The data-source host policy of this server (DECISIONS D10.1): FieldCloud's own database — the embedded one on
 * loopback, or every host:port of {@code FIELDCLOUD_DATABASE_URL} — is protected, and
 * {@code FIELDCLOUD_DATASOURCE_HOSTS} is the allow-list. Jobs hand it to every layer connection they open.
 */
@Configuration(proxyBeanMethods = false)
public class DatasourcePolicyConfig {

    @Bean
    DatasourceHostPolicy datasourceHostPolicy(FieldCloudSettings settings, DatasourceSettings datasource,
                                              DatabaseConfig.EmbeddedDatabase embedded) {
        return new DatasourceHostPolicy(datasource.allowList(), metadataEndpoints(settings, embedded));
    }

    static List<DatasourceHostPolicy.Endpoint> metadataEndpoints(FieldCloudSettings settings, DatabaseConfig.EmbeddedDatabase embedded) {
        FieldCloudSettings.Database db = settings.databaseOrEmpty();
        if (!db.external()) {
            return List.of(new DatasourceHostPolicy.Endpoint("localhost", embedded.port()));
        }
        return jdbcEndpoints(db.url());
    }

    /** {@code jdbc:postgresql://h1[:p1][,h2[:p2]…]/db?…}, IPv6 hosts in brackets, port 5432 by default. */
    static List<DatasourceHostPolicy.Endpoint> jdbcEndpoints(String url) {
        String prefix = "jdbc:postgresql://";
        if (!url.startsWith(prefix)) {
            throw new IllegalStateException("FIELDCLOUD_DATABASE_URL must start with " + prefix);
        }
        String rest = url.substring(prefix.length());
        int end = rest.indexOf('/');
        String hosts = end < 0 ? rest : rest.substring(0, end);
        List<DatasourceHostPolicy.Endpoint> out = new ArrayList<>();
        for (String hostPort : hosts.split(",")) {
            String host = hostPort;
            int port = 5432;
            int colon = hostPort.lastIndexOf(':');
            if (colon > hostPort.lastIndexOf(']')) {
                host = hostPort.substring(0, colon);
                port = Integer.parseInt(hostPort.substring(colon + 1));
            }
            host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            out.add(new DatasourceHostPolicy.Endpoint(host.isEmpty() ? "localhost" : host, port));
        }
        return out;
    }
}
