package org.fieldcloud.projects;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The list's timestamps are PostgreSQL's UTC text turned into the old formatter's output; they must agree for every
 * fraction length (PostgreSQL drops trailing zeros, and the whole fraction when it is zero).
 */
class ProjectRowsTimestampTest {

    private static final DateTimeFormatter OLD = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");
    private static final DateTimeFormatter PG_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Test
    void postgresUtcTextBecomesTheOldFormat() {
        Random random = new Random(12);
        for (int i = 0; i < 100_000; i++) {
            long micros = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(10) * 100_000L;
                case 2 -> random.nextInt(1000) * 1000L;
                default -> random.nextInt(1_000_000);
            };
            OffsetDateTime t = OffsetDateTime.of(1000 + random.nextInt(9000), 1 + random.nextInt(12), 1 + random.nextInt(28),
                    random.nextInt(24), random.nextInt(60), random.nextInt(60), (int) micros * 1000, ZoneOffset.UTC);
            assertThat(ProjectRows.iso(postgresText(t))).as(postgresText(t)).isEqualTo(OLD.format(t));
        }
        assertThat(ProjectRows.iso(null)).isNull();
    }

    /** What {@code CAST(t AT TIME ZONE 'UTC' AS text)} prints with DateStyle ISO. */
    private static String postgresText(OffsetDateTime t) {
        String fraction = String.format("%06d", t.getNano() / 1000).replaceAll("0+$", "");
        return PG_SECONDS.format(t) + (fraction.isEmpty() ? "" : "." + fraction);
    }
}
