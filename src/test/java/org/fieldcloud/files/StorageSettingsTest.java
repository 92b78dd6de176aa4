package org.fieldcloud.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The documented FIELDCLOUD_* environment variables reach the storage settings; keys never reach toString. */
class StorageSettingsTest {

    @Test
    void environmentVariablesBind() {
        StorageSettings s = bind(Map.of("FIELDCLOUD_STORAGE", "s3", "FIELDCLOUD_S3_ENDPOINT", "http://minio:9000",
                "FIELDCLOUD_S3_BUCKET", "files", "FIELDCLOUD_S3_REGION", "eu-central-1", "FIELDCLOUD_S3_ACCESS_KEY", "AK",
                "FIELDCLOUD_S3_SECRET_KEY", "very-secret-value", "FIELDCLOUD_S3_PATH_STYLE", "false"));
        assertThat(s.s3Selected()).isTrue();
        assertThat(s.s3().endpoint()).hasToString("http://minio:9000");
        assertThat(s.s3().bucket()).isEqualTo("files");
        assertThat(s.s3().region()).isEqualTo("eu-central-1");
        assertThat(s.s3().accessKey()).isEqualTo("AK");
        assertThat(s.s3().secretKey()).isEqualTo("very-secret-value");
        assertThat(s.s3().pathStyle()).isFalse();
        assertThat(s.toString()).doesNotContain("very-secret-value").doesNotContain("AK,");
    }

    @Test
    void defaultsToLocalStorageWithPathStyleS3() {
        StorageSettings s = bind(Map.of());
        assertThat(s.s3Selected()).isFalse();
        assertThat(s.storage()).isEqualTo("local");
        assertThat(s.s3().pathStyle()).isTrue();
        assertThat(s.s3().region()).isEqualTo("us-east-1");
    }

    private static StorageSettings bind(Map<String, Object> env) {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new SystemEnvironmentPropertySource(org.springframework.core.env.StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
        return new Binder(ConfigurationPropertySources.from(sources)).bindOrCreate("fieldcloud", StorageSettings.class);
    }
}
