package org.fieldcloud.processing;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.fieldcloud.deltas.apply.CsvLayer;
import org.fieldcloud.deltas.apply.FeatureLayer;
import org.fieldcloud.deltas.apply.GeoJsonLayer;
import org.fieldcloud.deltas.apply.GeoPackageLayer;
import org.fieldcloud.deltas.apply.LayerException;
import org.fieldcloud.deltas.apply.LayerOpener;
import org.fieldcloud.deltas.apply.PgConnectionSpec;
import org.fieldcloud.deltas.apply.PostgisLayer;
import org.fieldcloud.qgis.CredentialRouting;
import org.fieldcloud.secrets.JobSecrets;
import org.fieldcloud.qgis.OgrSource;
import org.fieldcloud.qgis.PostgresSource;
import org.fieldcloud.qgis.QgisLayer;
import org.fieldcloud.qgis.QgisProject;

/**
 * Opens the data behind a layer id of the job's project: file layers inside the job's copy of the project files,
 * PostgreSQL layers with the connection their datasource names — a pg_service secret, the libpq PG* secrets, or
 * the datasource's own inline credentials — never a mix (DECISIONS D4), and with {@code QFC_PG_EFFECTIVE_USER}.
 */
final class ProjectLayerOpener implements LayerOpener {

    private final QgisProject project;
    private final Path filesDir;
    private final JobSecrets secrets;
    private final Set<String> databaseLayers = new HashSet<>();

    ProjectLayerOpener(QgisProject project, Path filesDir, JobSecrets secrets) {
        this.project = project;
        this.filesDir = filesDir;
        this.secrets = secrets;
    }

    /** Layers whose edits are committed to an external database at once (file layers wait for the upload). */
    boolean isDatabaseLayer(String layerId) {
        return databaseLayers.contains(layerId);
    }

    @Override
    public FeatureLayer open(String layerId) throws LayerException {
        QgisLayer layer = project.layer(layerId).orElseThrow(() -> new LayerException("No layer with id \"" + layerId + "\""));
        if (!layer.vector()) {
            throw new LayerException("No layer with id \"" + layerId + "\" (it is a " + layer.type() + " layer)");
        }
        String provider = layer.provider() == null ? "" : layer.provider();
        return switch (provider) {
            case "postgres" -> {
                FeatureLayer opened = postgres(layer);
                databaseLayers.add(layerId);
                yield opened;
            }
            case "ogr" -> file(layer);
            default -> throw new LayerException("Layer \"" + layer.name() + "\" uses the provider '" + provider
                    + "', which FieldCloud cannot edit (supported: postgres, ogr GeoPackage/GeoJSON/CSV).");
        };
    }

    private FeatureLayer postgres(QgisLayer layer) throws LayerException {
        PostgresSource source = PostgresSource.parse(layer.datasource());
        var refused = CredentialRouting.check(layer.name(), source);
        if (refused.isPresent()) {
            throw new LayerException(refused.get());
        }
        PgConnectionSpec spec = connection(layer, source);
        return PostgisLayer.open(spec, source.schema(), source.table(), source.geometryColumn(), source.get("key"), secrets.effectiveUser());
    }

    private PgConnectionSpec connection(QgisLayer layer, PostgresSource source) throws LayerException {
        Map<String, String> env = secrets.environment();
        String serviceName = source.service() != null ? source.service()
                : source.get("host") == null && source.get("hostaddr") == null ? env.get("PGSERVICE") : null;
        if (serviceName != null) {
            Map<String, String> service = secrets.service(serviceName).orElseThrow(() -> new LayerException(
                    "Unable to connect to service \"" + serviceName + "\": no pg_service secret of this project defines it for this user."));
            return spec(service.get("host"), service.get("port"), service.get("dbname"), service.get("user"), service.get("password"),
                    service.getOrDefault("sslmode", source.get("sslmode")), layer);
        }
        if (source.get("host") == null && source.get("hostaddr") == null) {
            return spec(env.get("PGHOST"), env.get("PGPORT"), env.get("PGDATABASE"), env.get("PGUSER"), env.get("PGPASSWORD"),
                    env.getOrDefault("PGSSLMODE", source.get("sslmode")), layer);
        }
        String host = source.get("host") != null ? source.get("host") : source.get("hostaddr");
        return spec(host, source.get("port"), source.get("dbname"), source.get("user"), source.get("password"), source.get("sslmode"), layer);
    }

    private static PgConnectionSpec spec(String host, String port, String dbname, String user, String password, String sslmode,
                                         QgisLayer layer) throws LayerException {
        if (host == null || dbname == null) {
            throw new LayerException("Layer \"" + layer.name() + "\" has no complete connection: host and database name are needed.");
        }
        int p;
        try {
            p = port == null || port.isBlank() ? 5432 : Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            throw new LayerException("Layer \"" + layer.name() + "\": port '" + port + "' is not a number.");
        }
        return new PgConnectionSpec(host, p, dbname, user, password, sslmode);
    }

    private FeatureLayer file(QgisLayer layer) throws LayerException {
        OgrSource source = OgrSource.parse(layer.datasource() == null ? "" : layer.datasource());
        Path path = source.resolveInside(filesDir).orElseThrow(() -> new LayerException(
                "Layer \"" + layer.name() + "\" points to \"" + source.path() + "\", which is not a file of this project."));
        String name = path.getFileName().toString().toLowerCase();
        if (name.endsWith(".gpkg")) {
            String table = source.layerName().orElse(name.substring(0, name.length() - 5));
            return GeoPackageLayer.open(path, table);
        }
        if (name.endsWith(".geojson") || name.endsWith(".json")) {
            return GeoJsonLayer.open(path);
        }
        if (name.endsWith(".csv")) {
            return CsvLayer.open(path);
        }
        throw new LayerException("Layer \"" + layer.name() + "\" is stored in \"" + path.getFileName()
                + "\"; FieldCloud edits GeoPackage, GeoJSON and CSV files.");
    }
}
