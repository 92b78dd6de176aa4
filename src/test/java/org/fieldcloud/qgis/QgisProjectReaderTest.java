package org.fieldcloud.qgis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QgisProjectReaderTest {

    @TempDir
    Path dir;

    private Path fixture(String name) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/qgis/" + name)) {
            Files.copy(in, target);
        }
        return target;
    }

    @Test
    void readsLayersProvidersAndDatasourcesOfTheReferenceProject() throws Exception {
        QgisProject p = QgisProjectReader.read(fixture("project.qgs"));
        assertThat(p.qgisVersion()).isEqualTo("3.30.0");
        assertThat(p.layers()).hasSize(8);
        QgisLayer points = p.layer("points_xy_897d5ed7_b810_4624_abe3_9f7c0a93d6a1").orElseThrow();
        assertThat(points.provider()).isEqualTo("ogr");
        assertThat(points.vector()).isTrue();
        OgrSource source = OgrSource.parse(points.datasource());
        assertThat(source.path()).isEqualTo("./testdata.gpkg");
        assertThat(source.layerName()).contains("points_xy");
        assertThat(source.resolveInside(dir)).contains(dir.resolve("testdata.gpkg"));
        assertThat(OgrSource.parse("../../etc/passwd").resolveInside(dir)).isEmpty();
        assertThat(p.attachmentDirs()).contains("DCIM");
    }

    @Test
    void readsAQgzArchive() throws Exception {
        Path qgz = dir.resolve("packed.qgz");
        try (OutputStream out = Files.newOutputStream(qgz); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("packed.qgs"));
            zip.write(Files.readAllBytes(fixture("project_pgservice.qgs")));
            zip.closeEntry();
        }
        QgisProject p = QgisProjectReader.read(qgz);
        assertThat(p.layers()).extracting(QgisLayer::provider).contains("postgres");
    }

    @Test
    void parsesPostgresDatasources() throws Exception {
        QgisProject p = QgisProjectReader.read(fixture("project_pgservice.qgs"));
        PostgresSource s = PostgresSource.parse(p.layers().stream().filter(l -> "postgres".equals(l.provider())).findFirst().orElseThrow().datasource());
        assertThat(s.service()).isEqualTo("geodb1");
        assertThat(s.schema()).isEqualTo("public");
        assertThat(s.table()).isEqualTo("point");
        assertThat(s.geometryColumn()).isEqualTo("geometry");
        assertThat(s.get("key")).isEqualTo("id");
        assertThat(s.get("srid")).isEqualTo("2056");

        PostgresSource inline = PostgresSource.parse("dbname='my db' host=h port=5433 user='o\\'neil' password='p\\\\w d' sslmode=disable "
                + "key='tid' table=\"my \"\"schema\"\"\".\"pts\" (geom) sql=\"a\" = 'x y'");
        assertThat(inline.get("dbname")).isEqualTo("my db");
        assertThat(inline.get("user")).isEqualTo("o'neil");
        assertThat(inline.get("password")).isEqualTo("p\\w d");
        assertThat(inline.schema()).isEqualTo("my \"schema\"");
        assertThat(inline.table()).isEqualTo("pts");
        assertThat(inline.geometryColumn()).isEqualTo("geom");
        assertThat(inline.sql()).isEqualTo("\"a\" = 'x y'");
        assertThat(PostgresSource.masked("dbname='d' password='se cret' user=u")).isEqualTo("dbname='d' password='***' user=u");
    }

    @Test
    void credentialRoutingRefusesServiceLayersThatNameTheirOwnServer() {
        assertThat(CredentialRouting.check("ok", PostgresSource.parse("service='geodb1' key='id' table=\"public\".\"p\" (geom)"))).isEmpty();
        assertThat(CredentialRouting.check("inline", PostgresSource.parse("dbname='d' host=h user='u' password='p' table=\"public\".\"p\""))).isEmpty();
        assertThat(CredentialRouting.check("evil", PostgresSource.parse("service='geodb1' host=evil.example port=5432 table=\"public\".\"p\"")))
                .hasValueSatisfying(m -> assertThat(m).contains("Layer \"evil\"").contains("host, port").contains("service 'geodb1'"));
        assertThat(CredentialRouting.check("env", PostgresSource.parse("dbname='other' table=\"public\".\"p\"")))
                .hasValueSatisfying(m -> assertThat(m).contains("PG* secrets").contains("dbname"));
    }

    @Test
    void externalEntitiesAreNeverResolved() throws Exception {
        Path evil = dir.resolve("evil.qgs");
        Files.writeString(evil, "<?xml version=\"1.0\"?><!DOCTYPE qgis [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<qgis version=\"3.28.0\"><title>&x;</title></qgis>", StandardCharsets.UTF_8);
        try {
            QgisProject p = QgisProjectReader.read(evil);
            assertThat(p.title()).doesNotContain("root:");
        } catch (QgisProjectException e) {
            assertThat(e.getMessage()).contains("evil.qgs").doesNotContain("root:");
        }
    }

    @Test
    void entityExpansionBombsAreNeverExpanded() throws Exception {
        Path bomb = dir.resolve("bomb.qgs");
        Files.writeString(bomb, entityBomb(9) + "<qgis version=\"3.28.0\"><title>&a9;</title></qgis>");
        assertThatThrownBy(() -> QgisProjectReader.read(bomb)).isInstanceOf(QgisProjectException.class).hasMessageContaining("bomb.qgs");
    }

    /** Refused for declaring entities at all, not for how far they would expand: the JDK's own limits never come into play. */
    @Test
    void aProjectThatDeclaresEvenOneSmallEntityIsRefused() throws Exception {
        Path chain = dir.resolve("chain.qgs");
        Files.writeString(chain, entityBomb(1) + "<qgis version=\"3.28.0\"><title>&a1;</title></qgis>");
        assertThatThrownBy(() -> QgisProjectReader.read(chain)).isInstanceOf(QgisProjectException.class).hasMessageContaining("chain.qgs")
                .hasMessageContaining("declares XML entities");
    }

    /** A DOCTYPE where entity a{i} is ten references to a{i-1}, and a0 is "lol". */
    private static String entityBomb(int depth) {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE qgis [<!ENTITY a0 \"lol\">");
        for (int i = 1; i <= depth; i++) {
            dtd.append("<!ENTITY a").append(i).append(" \"").append(("&a" + (i - 1) + ";").repeat(10)).append("\">");
        }
        return dtd + "]>";
    }

    @Test
    void zipSlipNamesAndZipBombsAreRefused() throws IOException {
        Path slip = dir.resolve("slip.qgz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(slip))) {
            zip.putNextEntry(new ZipEntry("../../evil.qgs"));
            zip.write("<qgis version=\"3.28.0\"/>".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        assertThatThrownBy(() -> QgisProjectReader.read(slip)).hasMessageContaining("unsafe name");
        Path bomb = dir.resolve("bomb.qgz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            zip.putNextEntry(new ZipEntry("bomb.qgs"));
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < 300; i++) zip.write(zeros);
            zip.closeEntry();
        }
        assertThatThrownBy(() -> QgisProjectReader.read(bomb)).hasMessageContaining("expands beyond");
    }

    @Test
    void notXmlIsAClearError() throws IOException {
        Path broken = dir.resolve("broken.qgs");
        Files.writeString(broken, "this is not xml");
        assertThatThrownBy(() -> QgisProjectReader.read(broken)).isInstanceOf(QgisProjectException.class)
                .hasMessageContaining("\"broken.qgs\" is not valid XML");
    }
}
