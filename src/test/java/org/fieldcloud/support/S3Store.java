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
 * An in-process S3 server (s3proxy over a directory) with random credentials, for tests that run servers as separate
 * processes: {@link #asFileStore(String)} gives their {@code FIELDCLOUD_S3_*} settings.
 */
public final class S3Store implements AutoCloseable {

    private final S3Proxy proxy;
    private final String accessKey = "ak" + UUID.randomUUID().toString().substring(0, 8);
    private final String secretKey = "sk-" + UUID.randomUUID();

    public S3Store(Path dir) throws Exception {
        Files.createDirectories(dir);
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(dir.toAbsolutePath().toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
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
