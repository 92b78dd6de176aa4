package org.fieldcloud.processing;

import java.util.Arrays;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code FIELDCLOUD_DATASOURCE_HOSTS}: comma-separated host names, IP addresses and CIDRs layers may connect to. */
@ConfigurationProperties("fieldcloud.datasource")
public record DatasourceSettings(String hosts) {

    public List<String> allowList() {
        return hosts == null || hosts.isBlank() ? List.of() : Arrays.stream(hosts.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
