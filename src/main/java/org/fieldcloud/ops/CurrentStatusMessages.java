package org.fieldcloud.ops;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.fieldcloud.api.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The incident and maintenance messages {@code status/} shows: what staff set through the API (kept in the database,
 * so every node shows the same), else the {@code FIELDCLOUD_STATUS_*} settings of {@link StatusMessages}. A message
 * staff cleared stays cleared even when a setting names one.
 */
@Component
public class CurrentStatusMessages {

    static final int MAX_MESSAGE = 2000;

    private final JdbcClient jdbc;
    private final StatusMessages configured;

    CurrentStatusMessages(JdbcClient jdbc, StatusMessages configured) {
        this.jdbc = jdbc;
        this.configured = configured;
    }

    private record Row(String kind, String message, OffsetDateTime startsAt, OffsetDateTime endsAt) { }

    /**
     * The six {@code status/} fields about messages, in the reference's names. While the database is unreachable
     * the settings are shown: {@code status/} must still answer then, saying {@code "database": "error"}.
     */
    public Map<String, Object> fields() {
        Map<String, Row> rows = new LinkedHashMap<>();
        try {
            jdbc.sql("SELECT kind, message, starts_at, ends_at FROM status_messages")
                    .query((rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class), rs.getObject(4, OffsetDateTime.class)))
                    .list().forEach(r -> rows.put(r.kind(), r));
        } catch (org.springframework.dao.DataAccessException e) {
            rows.clear();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status_page_url", configured.statusPageUrl());
        Row incident = rows.get("incident");
        out.put("incident_message", incident == null ? configured.incidentMessage() : incident.message());
        out.put("incident_timestamp_utc", incident == null ? configured.incidentTimestampUtc() : iso(incident.message(), incident.startsAt()));
        Row maintenance = rows.get("maintenance");
        out.put("maintenance_message", maintenance == null ? configured.maintenanceMessage() : maintenance.message());
        out.put("maintenance_start_timestamp_utc", maintenance == null ? configured.maintenanceStartTimestampUtc() : iso(maintenance.message(), maintenance.startsAt()));
        out.put("maintenance_end_timestamp_utc", maintenance == null ? configured.maintenanceEndTimestampUtc() : iso(maintenance.message(), maintenance.endsAt()));
        return out;
    }

    /**
     * Sets the current message of {@code kind}: an incident at {@code start} (default now); a maintenance window
     * from {@code start} to {@code end} (both optional, end after start).
     */
    public void set(String kind, String message, Optional<String> start, Optional<String> end, long staffId) {
        if (message.length() > MAX_MESSAGE) {
            throw ApiException.badRequest("Field 'message' must be at most " + MAX_MESSAGE + " characters.");
        }
        OffsetDateTime startsAt = start.map(s -> timestamp(kind.equals("incident") ? "timestamp_utc" : "start_timestamp_utc", s))
                .orElse(kind.equals("incident") ? OffsetDateTime.now(ZoneOffset.UTC) : null);
        OffsetDateTime endsAt = end.map(s -> timestamp("end_timestamp_utc", s)).orElse(null);
        if (startsAt != null && endsAt != null && !endsAt.isAfter(startsAt)) {
            throw ApiException.validation("The maintenance must end after it starts.");
        }
        jdbc.sql("""
                INSERT INTO status_messages (kind, message, starts_at, ends_at, set_by) VALUES (:k, :m, :s, :e, :u)
                ON CONFLICT (kind) DO UPDATE SET message = :m, starts_at = :s, ends_at = :e, set_by = :u, set_at = now()""")
                .param("k", kind).param("m", message).param("s", startsAt).param("e", endsAt).param("u", staffId).update();
    }

    public void clear(String kind, long staffId) {
        jdbc.sql("""
                INSERT INTO status_messages (kind, message, set_by) VALUES (:k, NULL, :u)
                ON CONFLICT (kind) DO UPDATE SET message = NULL, starts_at = NULL, ends_at = NULL, set_by = :u, set_at = now()""")
                .param("k", kind).param("u", staffId).update();
    }

    private static String iso(String message, OffsetDateTime t) {
        return message == null || t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    private static OffsetDateTime timestamp(String field, String value) {
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("Field '" + field + "' must be an ISO-8601 timestamp with an offset, e.g. 2026-12-05T02:00:00Z.");
        }
    }
}
