package org.fieldcloud.qgis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasourcesTest {

    @TempDir
    Path dir;

    @Test
    void memoryLayersGiveGeometryCrsAndFields() {
        Datasources.MemorySource m = Datasources.memory("memory?geometry=Point&crs=EPSG:4326&field=name:string(255,0)&field=size:integer(10,0)");
        assertThat(m.geometry()).isEqualTo("Point");
        assertThat(m.crs()).isEqualTo("EPSG:4326");
        assertThat(m.fields()).containsExactly("name:string(255,0)", "size:integer(10,0)");
        assertThat(Datasources.memory("Point?crs=EPSG:2056").geometry()).isEqualTo("Point");
    }

    @Test
    void spatialiteUsesTheDataSourceUriSyntax() {
        Datasources.SpatialiteSource s = Datasources.spatialite("dbname='./spatialite.db' table=\"somedata\" (geom) sql=");
        assertThat(s.dbname()).isEqualTo("./spatialite.db");
        assertThat(s.table()).isEqualTo("somedata");
        assertThat(s.geometryColumn()).isEqualTo("geom");
    }

    @Test
    void rasterTileSourcesKeepTheirUrl() {
        Datasources.KeyValueSource xyz = Datasources.query(
                "tilePixelRatio=1&amp;type=xyz&amp;url=https://tile.openstreetmap.org/%7Bz%7D/%7Bx%7D/%7By%7D.png&amp;zmax=19&amp;zmin=0");
        assertThat(xyz.first("type")).isEqualTo("xyz");
        assertThat(xyz.first("url")).isEqualTo("https://tile.openstreetmap.org/{z}/{x}/{y}.png");
        assertThat(xyz.first("zmax")).isEqualTo("19");
        Datasources.KeyValueSource csv = Datasources.query("file:///data/points.csv?delimiter=,&xField=x&yField=y");
        assertThat(csv.path()).isEqualTo("file:///data/points.csv");
        assertThat(csv.first("xField")).isEqualTo("x");
    }

    @Test
    void virtualLayersListTheirEmbeddedLayers() throws Exception {
        Path project = dir.resolve("virtual.qgs");
        try (InputStream in = getClass().getResourceAsStream("/qgis/project_with_virtual_with_embedded.qgs")) {
            Files.copy(in, project);
        }
        QgisLayer virtual = QgisProjectReader.read(project).layers().stream().filter(l -> "virtual".equals(l.provider())).findFirst().orElseThrow();
        Datasources.VirtualSource v = Datasources.virtual(virtual.datasource());
        assertThat(v.query()).isNotBlank();
        assertThat(v.embedsLayers()).isTrue();
        assertThat(v.layers().get(0).provider()).isNotBlank();
        assertThat(Datasources.virtual("?query=SELECT%20*%20FROM%20t&layer=ogr:.%2Fdata.gpkg%7Clayername%3Dpts:pts:UTF-8").layers())
                .containsExactly(new Datasources.EmbeddedLayer("ogr", "./data.gpkg|layername=pts", "pts"));
    }
}
