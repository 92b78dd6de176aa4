package org.fieldcloud.support;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3 protocol server (s3proxy) storing blobs as files under a directory, on a loopback port, with one access
 * key. Tests start it in their JVM; {@link #main} runs it as a process of its own for the benchmarks.
 */
public final class S3Server {

    private S3Server() { }

    /** Starts the server on {@code port} (0: any free port) and returns once it accepts requests. */
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

    /** Usage: S3Server DIRECTORY PORT ACCESS_KEY SECRET_KEY; prints the port once it is up and runs until killed. */
    public static void main(String[] args) throws Exception {
        S3Proxy proxy = start(Path.of(args[0]), Integer.parseInt(args[1]), args[2], args[3]);
        System.out.println("s3 server listening on " + proxy.getPort());
        Thread.currentThread().join();
    }
}
