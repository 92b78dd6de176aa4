package org.fieldcloud.processing;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.fieldcloud.deltas.apply.ConnectionRefusedException;
import org.fieldcloud.deltas.apply.DatasourceHostPolicy;
import org.fieldcloud.deltas.apply.CsvLayer;
import org.fieldcloud.deltas.apply.FeatureLayer;
import org.fieldcloud.deltas.apply.GeoJsonLayer;
import org.fieldcloud.deltas.apply.GeoPackageLayer;
import org.fieldcloud.deltas.apply.LayerException;
import org.fieldcloud.deltas.apply.LayerOpener;
import org.fieldcloud.deltas.apply.PgConnectionSpec;
import org.fieldcloud.deltas.apply.PostgisLayer;
import org.fieldcloud.deltas.apply.ShapefileLayer;
import org.fieldcloud.qgis.CredentialRouting;
import org.fieldcloud.secrets.JobSecrets;
import org.fieldcloud.secrets.ResolvedSecret;
import org.fieldcloud.qgis.OgrSource;
import org.fieldcloud.qgis.PostgresSource;
import org.fieldcloud.qgis.QgisLayer;
import org.fieldcloud.qgis.QgisProject;

/**
 * Opens the data behind a layer id of the job's project: file layers inside the job's copy of the project files,
 * PostgreSQL layers with the connection their datasource names — a pg_service secret, the libpq PG* secrets (all from
 * one level), or the datasource's own inline credentials — never a mix (DECISIONS D4, D10.2), to a host the
 * {@link DatasourceHostPolicy} allows (D10.1), restricted to the layer's subset string (D10.7), and with
 * {@code QFC_PG_EFFECTIVE_USER}. A refused connection fails that layer's deltas; a failed SET ROLE fails the job.
 */
public final class ProjectLayerOpener implements LayerOpener {

    private final QgisProject project;
    private final Path filesDir;
    private final JobSecrets secrets;
    private final DatasourceHostPolicy policy;
    private final Set<String> databaseLayers = new HashSet<>();

    public ProjectLayerOpener(QgisProject project, Path filesDir, JobSecrets secrets, DatasourceHostPolicy policy) {
        this.project = project;
        this.filesDir = filesDir;
        this.secrets = secrets;
        this.policy = policy;
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
        Connection connection = connection(layer, source);
        InetAddress address;
        try {
            address = policy.check(connection.spec().host(), connection.spec().port());
        } catch (DatasourceHostPolicy.Refusal r) {
            throw new ConnectionRefusedException("Layer \"" + layer.name() + "\": the connection named by " + connection.origin()
                    + " is refused: " + r.getMessage() + ".");
        }
        return PostgisLayer.open(connection.spec().at(address).under(policy), source.schema(), source.table(), source.geometryColumn(), source.get("key"),
                source.sql(), secrets.effectiveUser());
    }

    /** A connection and where it came from, for messages: "its datasource", "the service 'x' secret", "the PG* secrets". */
    record Connection(PgConnectionSpec spec, String origin) { }

    private Connection connection(QgisLayer layer, PostgresSource source) throws LayerException {
        Map<String, String> env = secrets.environment();
        boolean ownHost = source.get("host") != null || source.get("hostaddr") != null;
        String serviceName = source.service() != null ? source.service() : !ownHost ? env.get("PGSERVICE") : null;
        if (serviceName != null) {
            Map<String, String> service = secrets.service(serviceName).orElseThrow(() -> new LayerException(
                    "Unable to connect to service \"" + serviceName + "\": no pg_service secret of this project defines it for this user."));
            return new Connection(fromSecret(service, source, layer.name()), "the service '" + serviceName + "' secret");
        }
        if (!ownHost) {
            requireOneLevel(layer.name());
            Map<String, String> keys = new HashMap<>();
            PG_ENV.forEach((key, variable) -> {
                if (env.get(variable) != null) keys.put(key, env.get(variable));
            });
            return new Connection(fromSecret(keys, source, layer.name()), "the PG* secrets");
        }
        String host = source.get("host") != null ? source.get("host") : source.get("hostaddr");
        return new Connection(spec(host, source.get("port"), source.get("dbname"), source.get("user"), source.get("password"),
                sslmode(null, source.get("sslmode"), layer.name()), layer.name()), "its datasource");
    }

    /** The libpq variables of a PG* connection, by the pg_service key they stand for. */
    private static final Map<String, String> PG_ENV = Map.of("host", "PGHOST", "port", "PGPORT", "dbname", "PGDATABASE", "user", "PGUSER",
            "password", "PGPASSWORD", "sslmode", "PGSSLMODE");

    /**
     * D10.2: PG* secrets are one set. If the winners came from different levels, someone at one level (a project
     * admin) could send another level's password (the organization's) to a host of their choosing.
     */
    private void requireOneLevel(String layerName) throws ConnectionRefusedException {
        Map<String, List<String>> byLevel = new TreeMap<>();
        for (String variable : new TreeSet<>(PG_ENV.values())) {
            String level = secrets.levelOf(variable);
            if (level != null) {
                byLevel.computeIfAbsent(describeLevel(level), k -> new ArrayList<>()).add(variable);
            }
        }
        if (byLevel.size() > 1) {
            StringBuilder levels = new StringBuilder();
            byLevel.forEach((level, names) -> levels.append(levels.isEmpty() ? "" : "; ").append(String.join(", ", names)).append(" from ").append(level));
            throw new ConnectionRefusedException("Layer \"" + layerName + "\" takes its connection from the PG* secrets, but they come from"
                    + " different levels (" + levels + "). Define PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD (and PGSSLMODE) at one level,"
                    + " so that a password goes only where its own level says.");
        }
    }

    private static String describeLevel(String level) {
        return switch (level) {
            case ResolvedSecret.PROJECT_USER -> "the project, assigned to this user";
            case ResolvedSecret.PROJECT -> "the project";
            case ResolvedSecret.ORGANIZATION_USER -> "the organization, assigned to this user";
            case ResolvedSecret.ORGANIZATION -> "the organization";
            default -> level;
        };
    }

    /** A connection from one secret (a pg_service entry, or the PG* set): the layer may raise its sslmode, never lower it. */
    static PgConnectionSpec fromSecret(Map<String, String> secret, PostgresSource source, String layerName) throws LayerException {
        return spec(secret.get("host"), secret.get("port"), secret.get("dbname"), secret.get("user"), secret.get("password"),
                sslmode(secret.get("sslmode"), source.get("sslmode"), layerName), layerName);
    }

    private static String sslmode(String secretMode, String layerMode, String layerName) throws LayerException {
        try {
            return PgConnectionSpec.atLeast(secretMode, layerMode);
        } catch (IllegalArgumentException e) {
            throw new LayerException("Layer \"" + layerName + "\": " + e.getMessage() + ".");
        }
    }

    private static PgConnectionSpec spec(String host, String port, String dbname, String user, String password, String sslmode,
                                         String layerName) throws LayerException {
        if (host == null || dbname == null) {
            throw new LayerException("Layer \"" + layerName + "\" has no complete connection: host and database name are needed.");
        }
        int p;
        try {
            p = port == null || port.isBlank() ? 5432 : Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            throw new LayerException("Layer \"" + layerName + "\": the port is not a number.");
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
            return GeoPackageLayer.open(path, table, source.options().get("subset"));
        }
        if (name.endsWith(".geojson") || name.endsWith(".json")) {
            return GeoJsonLayer.open(path);
        }
        if (name.endsWith(".csv")) {
            return CsvLayer.open(path);
        }
        if (name.endsWith(".shp")) {
            return ShapefileLayer.open(path);
        }
        throw new LayerException("Layer \"" + layer.name() + "\" is stored in \"" + path.getFileName()
                + "\"; FieldCloud edits GeoPackage, GeoJSON and CSV files.");
    }
}
