package org.fieldcloud.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import mil.nga.geopackage.db.GeoPackageDataType;
import mil.nga.sf.Geometry;
import mil.nga.sf.GeometryType;
import org.fieldcloud.deltas.apply.FeatureLayer;
import org.fieldcloud.deltas.apply.JobMustFailException;
import org.fieldcloud.deltas.apply.LayerException;
import org.fieldcloud.deltas.apply.LayerOpener;
import org.fieldcloud.deltas.apply.NoPrimaryKeyException;
import org.fieldcloud.qgis.LayerDetails;
import org.fieldcloud.qgis.OgrSource;
import org.fieldcloud.qgis.QgisLayer;
import org.fieldcloud.qgis.QgisProject;

/**
 * Builds a package in an export directory (reference-api-jobs §4.4): decides each layer's action from its
 * QFieldSync custom properties, exports offline layers into {@code data.gpkg}, copies file layers with their
 * sidecars, and writes the rewritten {@code <stem>_qfield.qgz}. Layers are opened only through the job's
 * {@link LayerOpener}, so PostgreSQL layers are read with the packaged person's secrets and database role.
 */
final class PackageBuilder {

    static final String DATA_GPKG = "data.gpkg";
    /** File types whose features FieldCloud reads itself; other file layers are copied as they are. */
    private static final Set<String> READABLE = Set.of("gpkg", "geojson", "json", "csv", "shp");
    /** Files that belong to a shapefile (or another multi-file format) and travel with it. */
    private static final List<String> SIDECARS = List.of(".shp", ".shx", ".dbf", ".prj", ".cpg", ".qpj", ".qix", ".sbn", ".sbx", ".qml");

    private final QgisProject project;
    private final ProjectRewriter rewriter;
    private final Path filesDir;
    private final Path exportDir;
    private final LayerOpener opener;
    private final Progress ctx;
    private final AreaOfInterest area;
    private final Map<String, Map<String, Object>> layerDetails = new LinkedHashMap<>();
    private final Map<String, Long> exportedCounts = new LinkedHashMap<>();
    private final Map<String, String> tableBySource = new LinkedHashMap<>();
    private final Map<String, Long> rowsByTable = new LinkedHashMap<>();
    private final Map<String, String> keyByTable = new LinkedHashMap<>();
    private final Map<String, String> fidByTable = new LinkedHashMap<>();
    private final Map<String, String> offlineSources = new LinkedHashMap<>();
    private OfflineGeoPackage gpkg;

    /** Where the builder reports its steps (the job's masked output), and whether it should stop. */
    interface Progress {
        void log(String line);

        boolean cancelled();
    }

    PackageBuilder(QgisProject project, ProjectRewriter rewriter, Path filesDir, Path exportDir, LayerOpener opener, Progress ctx,
                   AreaOfInterest area) {
        this.project = project;
        this.rewriter = rewriter;
        this.filesDir = filesDir;
        this.exportDir = exportDir;
        this.opener = opener;
        this.ctx = ctx;
        this.area = area;
    }

    /** The result: details of each layer of the original project, and features exported per offline layer. */
    record Result(Map<String, Map<String, Object>> layers, Map<String, Long> featureCounts) { }

    Result build(String qgisFile) throws Exception {
        try {
            for (QgisLayer layer : project.layers()) {
                if (ctx.cancelled()) {
                    throw new InterruptedException("The job was stopped.");
                }
                layerDetails.put(layer.id(), details(layer, null));
                plan(layer);
            }
        } finally {
            if (gpkg != null) {
                gpkg.close();
            }
        }
        rewriter.removeEmptyGroups();
        if (!offlineSources.isEmpty()) {
            rewriter.setOfflineDbPath("./" + DATA_GPKG);
            rewriter.repointValueRelations(offlineSources);
        }
        String stem = qgisFile.replaceFirst("\\.(qgs|qgz)$", "");
        String base = stem.contains("/") ? stem.substring(stem.lastIndexOf('/') + 1) : stem;
        copyExtraFiles(base);
        rewriter.writeQgz(exportDir.resolve(base + "_qfield.qgz"), base + "_qfield.qgs");
        ctx.log("Wrote " + base + "_qfield.qgz.");
        return new Result(layerDetails, exportedCounts);
    }

    /**
     * What the project needs besides its layers (reference §4.4 step 4): its translations ({@code <stem>_xx.qm}) and
     * its data directories, with their subdirectories. Attachment directories never go into a package.
     */
    private void copyExtraFiles(String stem) throws IOException {
        try (java.util.stream.Stream<Path> top = Files.list(filesDir)) {
            for (Path file : top.filter(f -> f.getFileName().toString().matches(java.util.regex.Pattern.quote(stem) + "_[A-Za-z_]+\\.qm")).toList()) {
                copyIfPresent(file);
                ctx.log("Copied the translation " + file.getFileName() + ".");
            }
        }
        for (String dir : rewriter.dataDirs()) {
            Path source = filesDir.resolve(dir).normalize();
            if (dir.isBlank() || !source.startsWith(filesDir) || source.equals(filesDir) || !Files.isDirectory(source)) {
                continue;
            }
            try (java.util.stream.Stream<Path> files = Files.walk(source)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Path target = exportDir.resolve(filesDir.relativize(file).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            ctx.log("Copied the data directory " + dir + ".");
        }
    }

    private void plan(QgisLayer layer) throws Exception {
        String action = action(layer);
        String provider = layer.provider() == null ? "" : layer.provider();
        boolean localized = layer.datasource() != null && layer.datasource().startsWith("localized:");
        if (action.equals("remove")) {
            rewriter.remove(layer.id());
            ctx.log("Layer \"" + layer.name() + "\": removed from the package (its action is 'remove').");
        } else if (localized) {
            invalid(layer, "localized_dataprovider", "The layer's data lives in the owner's shared datasets; it is left as it is.");
            keep(layer);
        } else if (action.equals("offline") && layer.vector() && offlineReadable(layer, provider)) {
            offline(layer);
        } else if (provider.equals("ogr") || provider.equals("gdal")) {
            copy(layer, action);
        } else {
            keep(layer);
        }
    }

    /** The layer's {@code QFieldSync/cloud_action}, or the reference's default: vector layers go offline, others stay as they are. */
    private static String action(QgisLayer layer) {
        String set = layer.customProperties().get("QFieldSync/cloud_action");
        if (set != null && !set.isBlank()) {
            return set.trim().toLowerCase(Locale.ROOT);
        }
        String provider = layer.provider() == null ? "" : layer.provider();
        return layer.vector() && !provider.equals("virtual") && !provider.equals("memory") ? "offline" : "no_action";
    }

    private boolean offlineReadable(QgisLayer layer, String provider) {
        if (provider.equals("postgres")) {
            return true;
        }
        if (!provider.equals("ogr")) {
            return false;
        }
        String path = OgrSource.parse(String.valueOf(layer.datasource())).path().toLowerCase(Locale.ROOT);
        String extension = path.contains(".") ? path.substring(path.lastIndexOf('.') + 1) : "";
        if (!READABLE.contains(extension)) {
            ctx.log("Layer \"" + layer.name() + "\": ." + extension + " files are copied into the package, not converted.");
            return false;
        }
        return true;
    }

    private void offline(QgisLayer layer) throws Exception {
        String source = layer.provider() + ":" + layer.datasource();
        String table = tableBySource.get(source);
        if (table == null) {
            try (FeatureLayer opened = opener.open(layer.id())) {
                table = tableName(source);
                export(layer, opened, table);
                keyByTable.put(table, opened.primaryKey());
                tableBySource.put(source, table);
            } catch (NoPrimaryKeyException e) {
                ctx.log("Layer \"" + layer.name() + "\": " + e.getMessage() + " It is packaged read-only and not taken offline.");
                readOnly(layer);
                return;
            } catch (JobMustFailException e) {
                throw e;
            } catch (LayerException e) {
                invalid(layer, "invalid_dataprovider", e.getMessage());
                rewriter.remove(layer.id());
                ctx.log("Layer \"" + layer.name() + "\" cannot be read and is left out of the package: " + e.getMessage());
                return;
            }
        }
        exportedCounts.put(layer.id(), rowsByTable.get(table));
        String newSource = "./" + DATA_GPKG + "|layername=" + table;
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("isOfflineEditable", "true");
        properties.put("remoteSource", layer.datasource());
        properties.put("remoteProvider", layer.provider());
        properties.put("QFieldSync/remoteLayerId", layer.id());
        properties.put("layerNameSuffix", "");
        properties.put("QFieldSync/sourceDataPrimaryKeys", keyByTable.get(table));
        rewriter.repoint(layer.id(), newSource, "ogr");
        rewriter.setProperties(layer.id(), properties);
        rewriter.hideField(layer.id(), fidByTable.get(table));
        offlineSources.put(layer.id(), newSource);
    }

    private void export(QgisLayer layer, FeatureLayer source, String table) throws Exception {
        if (gpkg == null) {
            gpkg = OfflineGeoPackage.create(exportDir.resolve(DATA_GPKG));
        }
        List<String> fields = new ArrayList<>(source.fields());
        Map<String, GeoPackageDataType> types = types(source, fields);
        Map<String, Boolean> taken = new LinkedHashMap<>();
        fields.forEach(f -> taken.put(f.toLowerCase(Locale.ROOT), true));
        taken.put("geom", true);
        String fid = OfflineGeoPackage.unique("fid", taken);
        fidByTable.put(table, fid);
        List<OfflineGeoPackage.Column> columns = fields.stream().map(f -> new OfflineGeoPackage.Column(f, types.get(f))).toList();
        GeometryType geometryType = source.spatial() ? Geometries.typeOf(layer.wkbType()) : null;
        if (source.spatial() && geometryType == null) {
            geometryType = GeometryType.GEOMETRY;
        }
        GeometryType target = geometryType;
        long[] skipped = {0};
        Predicate<Geometry> inArea = area.filterFor(layer.crs());
        OfflineGeoPackage.TableSpec spec = new OfflineGeoPackage.TableSpec(table, fid, columns, geometryType, Geometries.hasZ(layer.wkbType()),
                Geometries.hasM(layer.wkbType()), layer.crs(), layer.name());
        long rows;
        try (OfflineGeoPackage.Table out = gpkg.table(spec)) {
            source.scan((attributes, geometry) -> {
                Geometry converted = Geometries.as(geometry, target);
                if (geometry != null && converted == null) {
                    skipped[0]++;
                } else if (converted == null || inArea.test(converted)) {
                    out.add(OfflineGeoPackage.row(attributes, fields), converted);
                }
            });
            rows = out.rows();
        }
        rowsByTable.put(table, rows);
        ctx.log("Layer \"" + layer.name() + "\": " + rows + " feature(s) exported into " + DATA_GPKG + " (table " + table + ")"
                + (skipped[0] > 0 ? "; " + skipped[0] + " skipped, their geometry cannot be stored as " + target : "") + ".");
    }

    /**
     * The table of a data source: the sha256 of its provider and datasource string, as the reference names them, so
     * layers on the same source share one table and no layer or file name reaches SQL.
     */
    private static String tableName(String source) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(source.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Declared types where the source has them; otherwise the type that holds every value (one extra pass, in-memory sources only). */
    private static Map<String, GeoPackageDataType> types(FeatureLayer source, List<String> fields) throws Exception {
        Map<String, String> declared = source.declaredTypes();
        Map<String, GeoPackageDataType> types = new LinkedHashMap<>();
        if (!declared.isEmpty()) {
            fields.forEach(f -> types.put(f, OfflineGeoPackage.typeOf(declared.get(f))));
            return types;
        }
        source.scan((attributes, geometry) -> attributes.forEach((k, v) -> types.put(k, OfflineGeoPackage.typeOfValues(types.get(k), v))));
        fields.forEach(f -> types.putIfAbsent(f, GeoPackageDataType.TEXT));
        return types;
    }

    /** A layer without a usable primary key: QField may show it but never edit it (reference: no_action, read-only). */
    private void readOnly(QgisLayer layer) throws IOException {
        rewriter.setReadOnly(layer.id());
        rewriter.setProperties(layer.id(), Map.of("QFieldSync/unsupported_source_pk", "1", "QFieldSync/cloud_action", "no_action"));
        if ("ogr".equals(layer.provider())) {
            copy(layer, "no_action");
        } else {
            keep(layer);
        }
    }

    /** copy / no_action / keep_existent on a file layer: the file and its sidecars go flat into the package. */
    private void copy(QgisLayer layer, String action) throws IOException {
        OgrSource source = OgrSource.parse(String.valueOf(layer.datasource()));
        Path file = source.resolveInside(filesDir).orElse(null);
        if (file == null || !Files.isRegularFile(file)) {
            invalid(layer, "invalid_dataprovider", "File \"" + source.path() + "\" missing.");
            rewriter.remove(layer.id());
            ctx.log("Layer \"" + layer.name() + "\": its file \"" + source.path() + "\" is missing; the layer is left out of the package.");
            return;
        }
        String name = file.getFileName().toString();
        String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        for (String suffix : SIDECARS) {
            copyIfPresent(file.resolveSibling(stem + suffix));
        }
        copyIfPresent(file);
        rewriter.repoint(layer.id(), "./" + name + layer.datasource().substring(source.path().length()), layer.provider());
        keep(layer);
        ctx.log("Layer \"" + layer.name() + "\": " + name + " copied into the package (" + action + ").");
    }

    private void copyIfPresent(Path file) throws IOException {
        Path target = exportDir.resolve(file.getFileName().toString());
        if (Files.isRegularFile(file) && !Files.exists(target)) {
            Files.copy(file, target);
        }
    }

    private void keep(QgisLayer layer) {
        rewriter.setProperties(layer.id(), Map.of("QFieldSync/remoteLayerId", layer.id()));
    }

    private void invalid(QgisLayer layer, String code, String message) {
        layerDetails.put(layer.id(), details(layer, new String[] {code, message}));
    }

    private Map<String, Object> details(QgisLayer layer, String[] error) {
        Map<String, Object> out = LayerDetails.of(layer);
        out.put("is_valid", error == null);
        out.put("error_code", error == null ? "no_error" : error[0]);
        out.put("error_summary", error == null ? null : error[1]);
        out.put("error_message", error == null ? null : error[1]);
        out.put("provider_error_summary", error == null ? null : error[1]);
        out.put("provider_error_message", error == null ? null : error[1]);
        return out;
    }
}
