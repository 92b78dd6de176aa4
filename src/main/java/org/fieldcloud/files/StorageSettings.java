package org.fieldcloud.files;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where project file bytes live: {@code FIELDCLOUD_STORAGE=local} (default, under {@code <data dir>/files})
 * or {@code s3} with {@code FIELDCLOUD_S3_ENDPOINT, _BUCKET, _REGION, _ACCESS_KEY, _SECRET_KEY, _PATH_STYLE}.
 * Path-style addressing is the default because self-hosted S3 servers (MinIO, Garage, s3proxy) rarely have
 * wildcard DNS for virtual-host buckets.
 */
@ConfigurationProperties("fieldcloud")
public record StorageSettings(@DefaultValue("local") String storage, @DefaultValue S3 s3) {

    public record S3(URI endpoint, String bucket, @DefaultValue("us-east-1") String region, String accessKey,
                     String secretKey, @DefaultValue("true") boolean pathStyle) {

        /** Never prints the keys: settings objects end up in logs and failure messages. */
        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region + ", pathStyle=" + pathStyle + "]";
        }
    }

    public boolean s3Selected() {
        return "s3".equalsIgnoreCase(storage);
    }
}
