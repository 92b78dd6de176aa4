package org.fieldcloud.deltas.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.fieldcloud.support.FakePostgresServer;
import org.fieldcloud.support.PostgisDatabase;
import org.junit.jupiter.api.Test;

/** DECISIONS D10.1: which hosts a layer connection may reach, checked after resolution and before anything is sent. */
class DatasourceHostPolicyTest {

    private static final DatasourceHostPolicy OPEN = new DatasourceHostPolicy(List.of(), List.of());

    @Test
    void linkLocalAndCloudMetadataAddressesAreRefused() {
        for (String host : List.of("169.254.169.254", "169.254.0.1", "fe80::1")) {
            assertThatThrownBy(() -> OPEN.check(host, 5432)).as(host).isInstanceOf(DatasourceHostPolicy.Refusal.class)
                    .hasMessageContaining("link-local").hasMessageNotContaining(host);
        }
    }

    @Test
    void theMetadataDatabaseIsRefusedUnderEveryNameOfThisMachineButOnlyOnItsPort() throws Exception {
        int port = 15432;
        DatasourceHostPolicy server = new DatasourceHostPolicy(List.of(), List.of(new DatasourceHostPolicy.Endpoint("localhost", port)));
        for (String host : List.of("localhost", "127.0.0.1", "127.0.0.2", "0.0.0.0", "::1", InetAddress.getLocalHost().getHostName())) {
            assertThatThrownBy(() -> server.check(host, port)).as(host).isInstanceOf(DatasourceHostPolicy.Refusal.class)
                    .hasMessage("it resolves to FieldCloud's own database");
        }
        assertThat(server.check("127.0.0.1", port + 1).getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(OPEN.check("127.0.0.1", port).getHostAddress()).as("another server's policy protects its own database only").isEqualTo("127.0.0.1");
    }

    @Test
    void hostsThatAreListsSocketsOrUrlPartsAreRefused() {
        for (String host : List.of("a.example,b.example", "/var/run/postgresql", "db.example/x?socketFactory=y", "", "db example")) {
            assertThatThrownBy(() -> OPEN.check(host, 5432)).as(host).isInstanceOf(DatasourceHostPolicy.Refusal.class)
                    .hasMessageContaining("one host name or IP address");
        }
    }

    @Test
    void theAllowListAdmitsNamesAndIpv4AndIpv6NetworksOnly() throws Exception {
        DatasourceHostPolicy policy = new DatasourceHostPolicy(List.of("db.internal.example", "10.1.0.0/16", "2001:db8::/32", "127.0.0.1"), List.of());
        assertThat(policy.check("10.1.200.3", 5432).getHostAddress()).isEqualTo("10.1.200.3");
        assertThat(policy.check("2001:db8::5", 5432)).isNotNull();
        assertThat(policy.check("127.0.0.1", 5432)).isNotNull();
        policy.checkAddress("DB.internal.example.", InetAddress.getByName("192.0.2.7"), 5432);
        for (String host : List.of("10.2.0.1", "2001:db9::1", "127.0.0.2")) {
            assertThatThrownBy(() -> policy.check(host, 5432)).as(host).hasMessage("the host is not in FIELDCLOUD_DATASOURCE_HOSTS");
        }
        assertThatThrownBy(() -> new DatasourceHostPolicy(List.of("10.0.0.0/33"), List.of())).hasMessageContaining("prefix length");
    }

    @Test
    void aHostInsideTheAllowListIsReachedAndOneOutsideItIsNeverConnectedTo() throws Exception {
        DatasourceHostPolicy policy = new DatasourceHostPolicy(List.of(PostgisDatabase.HOST + "/32"), List.of());
        try (PostgisDatabase db = PostgisDatabase.create("fc_hosts"); FakePostgresServer outside = new FakePostgresServer()) {
            db.execute("CREATE TABLE t (id serial PRIMARY KEY, geom geometry(Point, 4326))");
            PgConnectionSpec inside = new PgConnectionSpec(PostgisDatabase.HOST, PostgisDatabase.PORT, db.name(), PostgisDatabase.ADMIN_USER,
                    PostgisDatabase.ADMIN_PASSWORD, "prefer");
            try (PostgisLayer layer = PostgisLayer.open(inside.at(policy.check(inside.host(), inside.port())), "public", "t", "geom", null, null)) {
                assertThat(layer.primaryKey()).isEqualTo("id");
            }
            assertThatThrownBy(() -> policy.check(FakePostgresServer.HOST, outside.port()))
                    .hasMessage("the host is not in FIELDCLOUD_DATASOURCE_HOSTS");
            Thread.sleep(200);
            assertThat(outside.connections()).as("refused before any connection attempt").isEmpty();
        }
    }

    @Test
    void theConnectionGoesToTheCheckedAddressWhateverTheNameResolvesToLater() throws Exception {
        try (FakePostgresServer checked = new FakePostgresServer()) {
            // "localhost" resolves to 127.0.0.1, but the checked address is the fake server's: the socket goes there.
            PgConnectionSpec spec = new PgConnectionSpec("localhost", checked.port(), "db", "someone", "pinned-secret-pw", "disable")
                    .at(InetAddress.getByName(FakePostgresServer.HOST));
            assertThatThrownBy(() -> PostgisLayer.open(spec, "public", "t", null, null, null)).isInstanceOf(LayerException.class)
                    .hasMessageNotContaining("pinned-secret-pw");
            assertThat(checked.connections()).hasSize(1);
        }
    }
}
