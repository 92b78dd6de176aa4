package org.fieldcloud.qgis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerDetailsTest {

    @TempDir
    Path dir;

    @Test
    void wkbTypeNumbersFollowQgis() {
        assertThat(LayerDetails.wkbType("Point")).isEqualTo(1);
        assertThat(LayerDetails.wkbType("MultiPolygon")).isEqualTo(6);
        assertThat(LayerDetails.wkbType("PointZ")).isEqualTo(1001);
        assertThat(LayerDetails.wkbType("LineStringM")).isEqualTo(2002);
        assertThat(LayerDetails.wkbType("PointZM")).isEqualTo(3001);
        assertThat(LayerDetails.wkbType("NoGeometry")).isEqualTo(100);
    }

    @Test
    void detailsOfTheReferenceProjectsLayers() throws Exception {
        Path file = dir.resolve("project2.qgs");
        try (InputStream in = getClass().getResourceAsStream("/qgis/project2.qgs")) {
            Files.copy(in, file);
        }
        QgisLayer pg = QgisProjectReader.read(file).layers().stream().filter(l -> "postgres".equals(l.provider())).findFirst().orElseThrow();
        Map<String, Object> d = LayerDetails.of(pg);
        assertThat(d.get("type")).isEqualTo(0);
        assertThat(d.get("type_name")).isEqualTo("Vector");
        assertThat(d.get("qfc_source_data_pk_name")).isEqualTo("tid");
        assertThat((String) d.get("datasource")).contains("password='***'").doesNotContain("test_postgis_db_password");
        assertThat(d.get("is_localized")).isEqualTo(false);
    }
}
