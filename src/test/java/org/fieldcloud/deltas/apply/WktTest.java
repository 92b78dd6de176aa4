package org.fieldcloud.deltas.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WktTest {

    @Test
    void keepsTheGivenOrdinatesAndReadsNanAsZero() throws Exception {
        assertThat(Wkt.normalize("POINT (1 2)")).isEqualTo("POINT (1 2)");
        assertThat(Wkt.normalize("PointZ (1 2 3)")).isEqualTo("POINT Z(1 2 3)");
        assertThat(Wkt.normalize("POINTZ (1 0 nan)")).isEqualTo("POINT Z(1 0 0)");
        assertThat(Wkt.normalize("PointZM (1 2 3 4)")).isEqualTo("POINT ZM(1 2 3 4)");
        assertThat(Wkt.normalize("PointM (1 2 4)")).isEqualTo("POINT M(1 2 4)");
        assertThat(Wkt.normalize("POINTZM (666 0)")).isEqualTo("POINT ZM(666 0 0 0)");
        assertThat(Wkt.normalize("LineStringZ (0 0 1, 1 1)")).isEqualTo("LINESTRING Z(0 0 1, 1 1 0)");
        assertThat(Wkt.normalize("Polygon ((0 0, 1 0, 1 1, 0 0))'")).isEqualTo("POLYGON ((0 0, 1 0, 1 1, 0 0))");
    }

    @Test
    void refusesEmptyAndUnparsableText() {
        assertThatThrownBy(() -> Wkt.normalize("  ")).hasMessage("Empty WKT string!");
        assertThatThrownBy(() -> Wkt.normalize("POINT (1)")).hasMessageStartingWith("Null geometry from wkt=POINT (1)");
        assertThatThrownBy(() -> Wkt.normalize("banana")).hasMessageStartingWith("Null geometry from wkt=banana");
    }
}
