package org.fieldcloud;

import org.fieldcloud.ops.AdminCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Entry point. {@code serve} (the default) runs the HTTP server with its in-process workers;
 * {@code admin ...} runs one administrative command against the same database and exits.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class FieldCloudApplication {

    public static void main(String[] args) {
        if ("json".equalsIgnoreCase(System.getenv("FIELDCLOUD_LOG_FORMAT"))) {
            // One JSON object per line (Elastic Common Schema), the request id among its fields.
            System.setProperty("logging.structured.format.console", "ecs");
        }
        if (args.length > 0 && args[0].equals("worker")) {
            // Job workers only: no HTTP server; runs until the process is stopped.
            SpringApplication app = new SpringApplication(FieldCloudApplication.class);
            app.setWebApplicationType(WebApplicationType.NONE);
            app.setAdditionalProfiles("worker");
            app.run(args);
            return;
        }
        if (args.length > 0 && args[0].equals("admin")) {
            SpringApplication app = new SpringApplication(FieldCloudApplication.class);
            app.setWebApplicationType(WebApplicationType.NONE);
            app.setAdditionalProfiles("admin");
            if (args.length > 1 && args[1].equals("restore")) {
                // A restore brings its own schema into an empty database: migrating first would make it non-empty.
                app.setDefaultProperties(java.util.Map.of("spring.flyway.enabled", "false"));
            }
            System.exit(SpringApplication.exit(app.run(args), () -> AdminCommand.exitCode()));
        }
        SpringApplication.run(FieldCloudApplication.class, args);
    }
}
