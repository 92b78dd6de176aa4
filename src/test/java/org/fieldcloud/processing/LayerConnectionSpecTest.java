package org.fieldcloud.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.fieldcloud.deltas.apply.LayerException;
import org.fieldcloud.deltas.apply.PgConnectionSpec;
import org.fieldcloud.qgis.PostgresSource;
import org.junit.jupiter.api.Test;

/** DECISIONS D10.2: a layer keeps or raises the sslmode its secret sets, never lowers it. */
class LayerConnectionSpecTest {

    private static final Map<String, String> SERVICE = Map.of("host", "db.example", "port", "5433", "dbname", "gis", "user", "u",
            "password", "pw", "sslmode", "require");

    private static PgConnectionSpec withLayer(Map<String, String> secret, String layerKeys) throws LayerException {
        return ProjectLayerOpener.fromSecret(secret, PostgresSource.parse("service='s' " + layerKeys + " table=\"public\".\"t\" (geom)"), "Places");
    }

    @Test
    void aLayerCannotLowerItsSecretsSslmode() throws Exception {
        for (String weaker : new String[] {"disable", "allow", "prefer"}) {
            assertThat(withLayer(SERVICE, "sslmode=" + weaker).sslmode()).as(weaker).isEqualTo("require");
        }
        assertThat(withLayer(SERVICE, "").sslmode()).isEqualTo("require");
    }

    @Test
    void aLayerMayRaiseItAndWithoutASecretModeItsOwnApplies() throws Exception {
        assertThat(withLayer(SERVICE, "sslmode=verify-full").sslmode()).isEqualTo("verify-full");
        Map<String, String> noMode = Map.of("host", "db.example", "dbname", "gis");
        assertThat(withLayer(noMode, "sslmode=disable").sslmode()).isEqualTo("disable");
        assertThat(withLayer(noMode, "").sslmode()).isNull();
        assertThat(withLayer(SERVICE, "").port()).isEqualTo(5433);
    }

    @Test
    void anUnknownSslmodeIsRefusedWithTheLayersName() {
        assertThatThrownBy(() -> withLayer(SERVICE, "sslmode=none")).isInstanceOf(LayerException.class)
                .hasMessageContaining("Layer \"Places\"").hasMessageContaining("sslmode must be one of");
    }
}
