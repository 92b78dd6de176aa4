package org.fieldcloud.secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * The secrets of one job, ready to use: environment variables (envvar secrets, which also act as libpq defaults
 * PGHOST, PGPORT, …), pg_service entries by service name, the {@code pg_service.conf} text for a private job
 * directory, the effective database role, and a masker that replaces every value — and every password inside
 * a pg_service value — with {@code ***}. Values of 4 characters or more and passwords are masked wherever they
 * appear; shorter values wherever they stand as a whole word ({@code on} in "flag on", not in "online"), since
 * masking every "1" inside other words and numbers would garble logs without hiding anything more. Each value is
 * also masked in its JSON-escaped form, for text that was serialized before it was masked.
 */
public final class JobSecrets {

    public static final String MASK = "***";
    private final Map<String, String> environment;
    private final Map<String, Map<String, String>> services;
    private final String serviceFile;
    private final List<String> masked;
    private final List<Pattern> maskedWords;
    private final boolean withEffectiveUser;
    private final Map<String, String> levels;

    private JobSecrets(Map<String, String> environment, Map<String, Map<String, String>> services, String serviceFile, List<String> masked,
                       List<Pattern> maskedWords, boolean withEffectiveUser, Map<String, String> levels) {
        this.levels = levels;
        this.environment = environment;
        this.services = services;
        this.serviceFile = serviceFile;
        this.masked = masked;
        this.maskedWords = maskedWords;
        this.withEffectiveUser = withEffectiveUser;
    }

    static JobSecrets of(List<ResolvedSecret> resolved) {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, Map<String, String>> services = new LinkedHashMap<>();
        StringBuilder file = new StringBuilder();
        List<String> masked = new ArrayList<>();
        List<Pattern> maskedWords = new ArrayList<>();
        Map<String, String> levels = new LinkedHashMap<>();
        for (ResolvedSecret s : resolved) {
            levels.put(s.name(), s.level());
            if ("pgservice".equals(s.type())) {
                PgServiceText parsed = PgServiceText.parse(s.value());
                services.put(parsed.service(), parsed.keys());
                file.append('\n').append(s.value().strip()).append('\n');
                String password = parsed.keys().get("password");
                if (password != null && !password.isEmpty()) {
                    forms(password).forEach(masked::add);
                }
            } else {
                env.put(s.name(), s.value());
            }
            String value = s.value();
            if (value.length() >= 4 || (s.name().equals("PGPASSWORD") && !value.isEmpty())) {
                forms(value).forEach(masked::add);
            } else if (!value.isBlank()) {
                forms(value).forEach(form -> maskedWords.add(Pattern.compile("(?<![\\p{Alnum}_])" + Pattern.quote(form) + "(?![\\p{Alnum}_])")));
            }
        }
        masked.sort(Comparator.comparingInt(String::length).reversed());
        return new JobSecrets(Map.copyOf(env), Map.copyOf(services), file.toString(), List.copyOf(masked), List.copyOf(maskedWords), true, Map.copyOf(levels));
    }

    /**
     * A value as it stands in raw text and as it stands inside a JSON string: text that was serialized before it
     * reached the masker still has every value masked (a quote or backslash in a value changes its JSON form).
     */
    private static List<String> forms(String value) {
        String escaped = new String(JsonStringEncoder.getInstance().quoteAsCharArray(value));
        return escaped.equals(value) ? List.of(value) : List.of(value, escaped);
    }

    public Map<String, String> environment() {
        return environment;
    }

    public Optional<Map<String, String>> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    /** {@code QFC_PG_EFFECTIVE_USER}, the role every layer connection switches to; null when not set. */
    public String effectiveUser() {
        String user = environment.get("QFC_PG_EFFECTIVE_USER");
        return withEffectiveUser && user != null && !user.isBlank() ? user : null;
    }

    /** The same secrets for work that must run as the login role (e.g. reading a project). */
    public JobSecrets withoutEffectiveUser() {
        return new JobSecrets(environment, services, serviceFile, masked, maskedWords, false, levels);
    }

    /**
     * The level the winning secret of this name came from ({@link ResolvedSecret#PROJECT_USER} …), or null. Secrets
     * are resolved for one user, so the level also says the assignee: that user, or none.
     */
    public String levelOf(String name) {
        return levels.get(name);
    }

    public UnaryOperator<String> masker() {
        return this::mask;
    }

    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String value : masked) {
            out = out.replace(value, MASK);
        }
        for (Pattern word : maskedWords) {
            out = word.matcher(out).replaceAll(MASK);
        }
        return out;
    }

    public String pgServiceConf() {
        return serviceFile;
    }

    /** Writes {@code pg_service.conf} (mode 0600) into a job directory and returns the PGSERVICEFILE path. */
    public Path writeServiceFile(Path jobDir) throws IOException {
        Path file = jobDir.resolve("pg_service.conf");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, serviceFile);
        return file;
    }
}
