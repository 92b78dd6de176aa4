package org.fieldcloud.secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.fieldcloud.ops.FieldCloudSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The master keys: {@code FIELDCLOUD_SECRETS_KEYS} = {@code id1:base64key,id2:base64key} (32-byte keys); the first
 * encrypts, all decrypt, so a new key is added in front and, after {@code admin rotate-secrets-key}, old ones can
 * be removed. Without configured keys, and not in production mode, a key file is generated under the data
 * directory with owner-only permissions; production mode refuses to start without configured keys.
 */
@Component
public class SecretKeys {

    private static final Logger log = LoggerFactory.getLogger(SecretKeys.class);

    private final Map<String, SecretKey> keys;

    @Autowired
    public SecretKeys(@Value("${fieldcloud.secrets.keys:}") String configured, FieldCloudSettings settings) throws IOException {
        if (!configured.isBlank()) {
            keys = parse(configured);
        } else if (settings.production()) {
            throw new IllegalStateException("FIELDCLOUD_MODE=production needs FIELDCLOUD_SECRETS_KEYS (id:base64 32-byte key, comma-separated); "
                    + "refusing to start with a generated key.");
        } else {
            keys = parse(generatedKey(settings.dataDir().toAbsolutePath().resolve("secrets.key")));
        }
    }

    SecretKeys(String configured) {
        keys = parse(configured);
    }

    static Map<String, SecretKey> parse(String configured) {
        Map<String, SecretKey> out = new LinkedHashMap<>();
        for (String entry : configured.split(",")) {
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            if (colon <= 0) {
                throw new IllegalStateException("FIELDCLOUD_SECRETS_KEYS: each key must be written 'id:base64key'.");
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(trimmed.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("FIELDCLOUD_SECRETS_KEYS: the key '" + trimmed.substring(0, colon) + "' is not base64.");
            }
            if (raw.length != 32) {
                throw new IllegalStateException("FIELDCLOUD_SECRETS_KEYS: the key '" + trimmed.substring(0, colon) + "' must be 32 bytes (AES-256).");
            }
            out.put(trimmed.substring(0, colon), new SecretKeySpec(raw, "AES"));
        }
        return out;
    }

    private static String generatedKey(Path file) throws IOException {
        if (Files.exists(file)) {
            return readOwnerOnly(file);
        }
        Files.createDirectories(file.getParent());
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String line = "k" + System.currentTimeMillis() / 1000 + ":" + Base64.getEncoder().encodeToString(raw);
        // Written whole under a temporary name, then linked in place (a link never replaces an existing file): a second
        // process starting at the same moment never reads a half-written key, and if both generate one, the first wins.
        Path tmp = Files.createTempFile(file.getParent(), ".secrets.key", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, line);
            Files.createLink(file, tmp);
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            return readOwnerOnly(file);
        } finally {
            Files.deleteIfExists(tmp);
        }
        log.warn("Generated a secrets master key in {} (owner-only). Back it up with the database; set FIELDCLOUD_SECRETS_KEYS in production.", file);
        return line;
    }

    /**
     * A reused key file must still be private: a later {@code chmod}, {@code chown} or a restore from a backup can
     * widen it, and whoever can read it decrypts every secret.
     */
    static String readOwnerOnly(Path file) throws IOException {
        Set<PosixFilePermission> shared = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
        Set<PosixFilePermission> actual = Files.getPosixFilePermissions(file);
        if (actual.stream().anyMatch(shared::contains)) {
            throw new IllegalStateException("The secrets key file " + file + " is readable or writable by group or others ("
                    + PosixFilePermissions.toString(actual) + "); run 'chmod 600 " + file + "' and start again.");
        }
        UserPrincipal owner = Files.getOwner(file);
        UserPrincipal self = currentUser(file);
        if (!owner.equals(self)) {
            throw new IllegalStateException("The secrets key file " + file + " belongs to '" + owner.getName()
                    + "', not to the user running FieldCloud ('" + self.getName() + "'); run 'chown " + self.getName() + " " + file
                    + "' and 'chmod 600 " + file + "' and start again.");
        }
        return Files.readString(file).trim();
    }

    /** The process's effective user: the owner of /proc/self on Linux (right even without a passwd entry), else by name. */
    private static UserPrincipal currentUser(Path file) throws IOException {
        Path procSelf = Path.of("/proc/self");
        if (Files.exists(procSelf)) {
            return Files.getOwner(procSelf);
        }
        return file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(System.getProperty("user.name"));
    }

    String currentId() {
        return keys.keySet().iterator().next();
    }

    /** The ids of the configured keys (never the keys): backups record which ones their secrets need. */
    public java.util.Set<String> ids() {
        return java.util.Set.copyOf(keys.keySet());
    }

    SecretKey current() {
        return keys.get(currentId());
    }

    SecretKey byId(String id) {
        return keys.get(id);
    }
}
