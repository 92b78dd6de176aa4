package org.fieldcloud.ops;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fieldcloud.api.ApiException;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * {@code bin/fieldcloud admin <command> [--flag value ...]}: dispatches to the {@link AdminTask} beans
 * contributed by the features, prints their result, and sets the process exit code.
 */
@Component
@Profile("admin")
public class AdminCommand implements ApplicationRunner {

    private static volatile int exitCode = 0;

    private final Map<String, AdminTask> tasks = new HashMap<>();

    public AdminCommand(List<AdminTask> tasks) {
        tasks.forEach(t -> this.tasks.put(t.name(), t));
    }

    public static int exitCode() {
        return exitCode;
    }

    @Override
    public void run(ApplicationArguments args) {
        String[] raw = args.getSourceArgs();
        if (raw.length < 2 || !tasks.containsKey(raw[1])) {
            System.err.println("usage: fieldcloud admin <command> [options]; commands: " + tasks.keySet().stream().sorted().toList());
            exitCode = 2;
            return;
        }
        try {
            Map<String, String> options = parse(Arrays.copyOfRange(raw, 2, raw.length));
            System.out.println(tasks.get(raw[1]).run(options));
        } catch (ApiException | IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            System.err.println("fieldcloud admin " + raw[1] + ": " + e.getMessage());
            exitCode = 1;
        }
    }

    /** {@code --name value} pairs; a flag without a value (e.g. {@code --staff}) maps to "true". */
    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "'; options look like --name value");
            }
            String name = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                options.put(name, args[++i]);
            } else {
                options.put(name, "true");
            }
        }
        return options;
    }

    /** One administrative command. */
    public interface AdminTask {
        String name();

        /** Runs the command and returns what to print; throws IllegalArgumentException for bad options. */
        String run(Map<String, String> options);
    }
}
