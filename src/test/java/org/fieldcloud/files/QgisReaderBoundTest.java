package org.fieldcloud.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fieldcloud.qgis.QgisLimits;
import org.fieldcloud.qgis.QgisProjectException;
import org.fieldcloud.qgis.QgisProjectReader;
import org.fieldcloud.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/** D10.6 (security item 6e): jobs read project files through the same configured bound as uploads. */
class QgisReaderBoundTest extends ApiTest {

    @Autowired
    QgisLimits limits;

    @TempDir
    Path dir;

    @Test
    void aJobRefusesAQgsBeyondTheConfiguredBoundBeforeParsingIt() throws Exception {
        Path big = Files.write(dir.resolve("big.qgs"), FileScenarios.bigQgs(QGIS_MAX_PROJECT_FILE_BYTES + 100_000));
        assertThat(limits.maxProjectFileBytes()).isEqualTo(QGIS_MAX_PROJECT_FILE_BYTES);
        assertThatThrownBy(() -> QgisProjectReader.read(big, limits))
                .isInstanceOf(QgisProjectException.class)
                .hasMessageContaining("big.qgs").hasMessageContaining(QGIS_MAX_PROJECT_FILE_BYTES + " bytes allowed").hasMessageContaining("not parsed");
        Path fits = Files.write(dir.resolve("fits.qgs"), FileScenarios.bigQgs(QGIS_MAX_PROJECT_FILE_BYTES - 1000));
        assertThat(QgisProjectReader.read(fits, limits).layers()).isEmpty();
    }
}
