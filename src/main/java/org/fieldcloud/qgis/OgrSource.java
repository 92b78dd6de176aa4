package org.fieldcloud.qgis;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A QGIS {@code ogr} datasource: {@code <path>|layername=<name>|layerid=<n>|subset=<sql>}. */
public record OgrSource(String path, Map<String, String> options) {

    public static OgrSource parse(String datasource) {
        String[] parts = datasource.split("\\|");
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                options.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
            }
        }
        return new OgrSource(parts[0], options);
    }

    public Optional<String> layerName() {
        return Optional.ofNullable(options.get("layername"));
    }

    /**
     * The file inside the project directory; empty when the path is absolute elsewhere or escapes the directory,
     * since a job only ever touches the project's own files.
     */
    public Optional<Path> resolveInside(Path projectDir) {
        String p = path.startsWith("localized:") ? null : path;
        if (p == null || p.isBlank()) {
            return Optional.empty();
        }
        Path resolved = projectDir.resolve(p).normalize();
        return resolved.startsWith(projectDir.normalize()) ? Optional.of(resolved) : Optional.empty();
    }
}
