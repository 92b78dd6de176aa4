package org.fieldcloud.support;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 protocol server (s3proxy over a directory, loopback only). As an object: in this JVM with random
 * credentials, for tests that run servers as separate processes ({@link #asFileStore(String)} gives their
 * {@code FIELDCLOUD_S3_*} settings); {@link #start} for tests that configure their own; {@link #main} for the benchmarks.
 */
public final class S3Store implements AutoCloseable {

    private final S3Proxy proxy;
    private final String accessKey = "ak" + UUID.randomUUID().toString().substring(0, 8);
    private final String secretKey = "sk-" + UUID.randomUUID();

    public S3Store(Path dir) {
        proxy = start(dir, 0, accessKey, secretKey);
    }

    /** Starts s3proxy over {@code directory} on {@code port} (0: any free port); returns once it accepts requests. */
    public static S3Proxy start(Path directory, int port, String accessKey, String secretKey) {
        try {
            Path blobs = Files.createDirectories(directory.toAbsolutePath());
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(new FilesystemNio2BlobStore(blobs.toString()))
                    .endpoint(URI.create("http://127.0.0.1:" + port))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                    .build();
            proxy.start();
            while (!"STARTED".equals(proxy.getState())) {
                Thread.sleep(10);
            }
            return proxy;
        } catch (Exception e) {
            throw new IllegalStateException("could not start s3proxy", e);
        }
    }

    /** For the benchmarks, as a process of its own. Usage: S3Store DIRECTORY PORT ACCESS_KEY SECRET_KEY; runs until killed. */
    public static void main(String[] args) throws Exception {
        S3Proxy proxy = start(Path.of(args[0]), Integer.parseInt(args[1]), args[2], args[3]);
        System.out.println("s3 server listening on " + proxy.getPort());
        Thread.currentThread().join();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** Settings of a server that keeps its project files in {@code bucket} here. */
    public Map<String, String> asFileStore(String bucket) {
        return Map.of("FIELDCLOUD_STORAGE", "s3", "FIELDCLOUD_S3_ENDPOINT", endpoint(), "FIELDCLOUD_S3_BUCKET", bucket,
                "FIELDCLOUD_S3_REGION", "us-east-1", "FIELDCLOUD_S3_ACCESS_KEY", accessKey, "FIELDCLOUD_S3_SECRET_KEY", secretKey,
                "FIELDCLOUD_S3_PATH_STYLE", "true");
    }

    /** A client of this store, to look at what servers wrote. */
    public S3Client client() {
        return S3Client.builder().endpointOverride(URI.create(endpoint())).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey))).build();
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
