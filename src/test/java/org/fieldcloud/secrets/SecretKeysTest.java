package org.fieldcloud.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.fieldcloud.ops.FieldCloudSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretKeysTest {

    @TempDir
    Path dir;

    private FieldCloudSettings settings(String mode) {
        return new FieldCloudSettings(dir, mode, null, null, 720);
    }

    @Test
    void productionModeRefusesToStartWithoutConfiguredKeys() {
        assertThatThrownBy(() -> new SecretKeys("", settings("production")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("FIELDCLOUD_SECRETS_KEYS");
        assertThat(Files.exists(dir.resolve("secrets.key"))).isFalse();
    }

    @Test
    void embeddedModeGeneratesAnOwnerOnlyKeyFileOnceAndReusesIt() throws Exception {
        SecretKeys first = new SecretKeys("", settings("embedded"));
        Path file = dir.resolve("secrets.key");
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        SecretKeys second = new SecretKeys("", settings("embedded"));
        assertThat(second.currentId()).isEqualTo(first.currentId());
        assertThat(second.current().getEncoded()).isEqualTo(first.current().getEncoded());
    }

    /** Security item 7a: a key file widened after it was generated was reused without a word. */
    @Test
    void aReusedKeyFileOpenToGroupOrOthersOrOwnedBySomeoneElseRefusesTheStart() throws Exception {
        new SecretKeys("", settings("embedded"));
        Path file = dir.resolve("secrets.key");
        for (String perms : java.util.List.of("rw-r--r--", "rw--w----", "rw-------")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString(perms));
            if (perms.equals("rw-------")) {
                assertThat(new SecretKeys("", settings("embedded")).currentId()).startsWith("k");
            } else {
                assertThatThrownBy(() -> new SecretKeys("", settings("embedded")))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(file.toString()).hasMessageContaining("chmod 600 " + file)
                        .hasMessageNotContaining(Files.readString(file).substring(Files.readString(file).indexOf(':') + 1));
            }
        }
        var lookup = file.getFileSystem().getUserPrincipalLookupService();
        if (Files.getOwner(file).getName().equals("root")) {
            Files.setOwner(file, lookup.lookupPrincipalByName("nobody"));
            assertThatThrownBy(() -> new SecretKeys("", settings("embedded")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("belongs to 'nobody'").hasMessageContaining("chown root");
        }
    }

    @Test
    void processesStartingTogetherAgreeOnOneGeneratedKey() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var starts = new java.util.ArrayList<java.util.concurrent.Future<SecretKeys>>();
            for (int i = 0; i < 8; i++) {
                starts.add(pool.submit(() -> new SecretKeys("", settings("embedded"))));
            }
            byte[] first = starts.get(0).get().current().getEncoded();
            for (var start : starts) {
                assertThat(start.get().current().getEncoded()).isEqualTo(first);
            }
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("secrets.key");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void configuredKeysMustBeIdColonBase64Of32Bytes() {
        assertThatThrownBy(() -> SecretKeys.parse("nokey")).hasMessageContaining("'id:base64key'");
        assertThatThrownBy(() -> SecretKeys.parse("k1:c2hvcnQ=")).hasMessageContaining("must be 32 bytes");
        assertThatThrownBy(() -> SecretKeys.parse("k1:!!!")).hasMessageContaining("is not base64");
    }
}
