package org.fieldcloud.backups;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.fieldcloud.files.S3Clients;
import org.fieldcloud.ops.FieldCloudSettings;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.util.FileSystemUtils;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Backups kept in S3: {@code s3://bucket/prefix} as the target of {@code admin backup --to}, of
 * {@code FIELDCLOUD_BACKUP_TO}, and {@code s3://bucket/prefix/fieldcloud-backup-<time>} as the source of
 * {@code admin restore --from}. The objects are the directory backup's files under that key prefix, so a backup
 * copied out of S3 with any tool is an ordinary directory backup.
 *
 * <p>A backup is written to a staging directory under the data directory first (the database snapshot and the blob
 * copy happen there, exactly as for a directory backup), then uploaded with {@code manifest.json} last: S3 has no
 * rename, so a backup without its manifest is an interrupted one, which restore refuses and pruning removes. A restore
 * downloads the backup to staging and restores from there. Staging needs free space for one backup.
 *
 * <p>The store is {@code FIELDCLOUD_BACKUP_S3_*} where set, else the file store's {@code FIELDCLOUD_S3_*}: backups
 * belong in a second location, usually another bucket and often another account, but the same provider is common.
 */
@Service
class S3Backups {

    static final String SCHEME = "s3://";

    private final Backups backups;
    private final Path staging;
    private final String endpoint;
    private final String region;
    private final String accessKey;
    private final String secretKey;
    private final boolean pathStyle;

    S3Backups(Backups backups, FieldCloudSettings settings,
              @Value("${fieldcloud.backup.s3.endpoint:${fieldcloud.s3.endpoint:}}") String endpoint,
              @Value("${fieldcloud.backup.s3.region:${fieldcloud.s3.region:us-east-1}}") String region,
              @Value("${fieldcloud.backup.s3.access-key:${fieldcloud.s3.access-key:}}") String accessKey,
              @Value("${fieldcloud.backup.s3.secret-key:${fieldcloud.s3.secret-key:}}") String secretKey,
              @Value("${fieldcloud.backup.s3.path-style:${fieldcloud.s3.path-style:true}}") boolean pathStyle) {
        this.backups = backups;
        this.staging = settings.dataDir().toAbsolutePath().resolve("backup-staging");
        this.endpoint = endpoint;
        this.region = region;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.pathStyle = pathStyle;
    }

    static boolean isS3(String location) {
        return location.startsWith(SCHEME);
    }

    /** {@code s3://bucket[/prefix]}: the prefix without leading or trailing slashes, possibly empty. */
    record Location(String bucket, String prefix) {
        static Location parse(String url) {
            String rest = url.substring(SCHEME.length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("^/+|/+$", "");
            if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new IllegalArgumentException("'" + url + "' does not name an S3 bucket: use s3://bucket/prefix");
            }
            return new Location(bucket, prefix);
        }

        String key(String name) {
            return prefix.isEmpty() ? name : prefix + "/" + name;
        }

        @Override
        public String toString() {
            return SCHEME + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
        }
    }

    /** Writes a backup and uploads it under {@code url}; returns the result and the backup's own URL. */
    Published backup(String url) throws IOException {
        Location target = Location.parse(url);
        Path stage = stage();
        try (S3Client s3 = client()) {
            S3Clients.ensureBucket(s3, target.bucket());
            Backups.Result r = backups.backup(stage, done -> upload(s3, done, target).toString());
            return new Published(r, target.key(r.location().getFileName().toString()));
        } finally {
            FileSystemUtils.deleteRecursively(stage);
        }
    }

    record Published(Backups.Result result, String key) { }

    private Location upload(S3Client s3, Path done, Location target) throws IOException {
        Location backup = new Location(target.bucket(), target.key(done.getFileName().toString()));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(done)) {
            // manifest.json last: its presence marks a complete backup.
            files = walk.filter(Files::isRegularFile).sorted(Comparator.comparing((Path p) -> p.getFileName().toString().equals("manifest.json"))
                    .thenComparing(Comparator.naturalOrder())).toList();
        }
        for (Path file : files) {
            String key = backup.key(done.relativize(file).toString().replace('\\', '/'));
            s3.putObject(b -> b.bucket(backup.bucket()).key(key), RequestBody.fromFile(file));
        }
        return backup;
    }

    /** Downloads the backup at {@code url} into staging and restores it as a directory backup. */
    String restore(String url) throws IOException {
        Location backup = Location.parse(url);
        Path stage = stage();
        try (S3Client s3 = client()) {
            List<S3Object> objects = s3.listObjectsV2Paginator(b -> b.bucket(backup.bucket()).prefix(backup.key(""))).contents().stream().toList();
            if (objects.stream().noneMatch(o -> o.key().equals(backup.key("manifest.json")))) {
                throw new IllegalArgumentException(url + " holds no complete backup (no manifest.json); name one backup, "
                        + "s3://bucket/prefix/" + Backups.PREFIX + "<time>" + newest(s3, backup).map(n -> ", e.g. " + n).orElse(""));
            }
            String name = backup.prefix().substring(backup.prefix().lastIndexOf('/') + 1);
            Path local = stage.resolve(name.isEmpty() ? "backup" : name);
            for (S3Object o : objects) {
                Path target = Backups.inside(local, o.key().substring(backup.key("").length()));
                Files.createDirectories(target.getParent());
                try (InputStream in = s3.getObject(b -> b.bucket(backup.bucket()).key(o.key()))) {
                    Files.copy(in, target);
                }
            }
            return backups.restore(local);
        } finally {
            FileSystemUtils.deleteRecursively(stage);
        }
    }

    /** Keeps the newest {@code keep} complete backups under {@code url}; older ones and interrupted ones go. */
    List<String> prune(String url, int keep) {
        Location parent = Location.parse(url);
        List<String> removed = new ArrayList<>();
        try (S3Client s3 = client()) {
            List<String> names = backupNames(s3, parent);
            List<String> complete = names.stream().filter(n -> exists(s3, parent.bucket(), parent.key(n + "/manifest.json"))).toList();
            for (String name : names) {
                boolean old = complete.indexOf(name) >= 0 && complete.indexOf(name) < complete.size() - keep;
                boolean interrupted = !complete.contains(name) && !name.equals(names.getLast());
                if (old || interrupted) {
                    s3.listObjectsV2Paginator(b -> b.bucket(parent.bucket()).prefix(parent.key(name + "/"))).contents()
                            .forEach(o -> s3.deleteObject(b -> b.bucket(parent.bucket()).key(o.key())));
                    removed.add(parent.key(name));
                }
            }
        }
        return removed;
    }

    private static List<String> backupNames(S3Client s3, Location parent) {
        String base = parent.prefix().isEmpty() ? "" : parent.prefix() + "/";
        return s3.listObjectsV2Paginator(b -> b.bucket(parent.bucket()).prefix(base).delimiter("/")).commonPrefixes().stream()
                .map(CommonPrefix::prefix).map(p -> p.substring(base.length(), p.length() - 1))
                .filter(n -> n.startsWith(Backups.PREFIX)).sorted().toList();
    }

    private static java.util.Optional<String> newest(S3Client s3, Location parent) {
        List<String> names = backupNames(s3, parent);
        return names.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(parent + "/" + names.getLast());
    }

    private static boolean exists(S3Client s3, String bucket, String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private Path stage() throws IOException {
        return Files.createDirectories(staging.resolve(UUID.randomUUID().toString()));
    }

    private S3Client client() {
        if (endpoint.isBlank()) {
            throw new IllegalArgumentException("an s3:// backup location needs FIELDCLOUD_BACKUP_S3_ENDPOINT (or FIELDCLOUD_S3_ENDPOINT)");
        }
        return S3Clients.create(URI.create(endpoint), region, accessKey, secretKey, pathStyle);
    }
}
