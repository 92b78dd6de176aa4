package org.fieldcloud.processing;

import java.util.List;
import org.fieldcloud.deltas.apply.DatasourceHostPolicy;
import org.fieldcloud.ops.DatabaseConfig;
import org.fieldcloud.ops.DatabaseEndpoint;
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

    static List<DatasourceHostPolicy.Endpoint> jdbcEndpoints(String url) {
        return DatabaseEndpoint.hosts(url).stream().map(h -> new DatasourceHostPolicy.Endpoint(h.host(), h.port())).toList();
    }
}
