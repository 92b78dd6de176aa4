package org.fieldcloud.accounts;

import java.util.regex.Pattern;

/** The kind of client a token belongs to, derived from the User-Agent at login (reference §1.2). */
public enum ClientType {
    QFIELD, QFIELDSYNC, SDK, CLI, BROWSER, WORKER, UNKNOWN;

    private static final Pattern QGIS = Pattern.compile(".* QGIS/[34]\\d{4}(/.*)?$");
    private static final Pattern BROWSER_ENGINE = Pattern.compile(".*(AppleWebKit/\\d+\\.\\d+ \\(KHTML, like Gecko\\)|Firefox/[\\d.]+).*");

    public static ClientType fromUserAgent(String userAgent) {
        if (userAgent == null || userAgent.isEmpty()) return UNKNOWN;
        if (userAgent.startsWith("qfield|")) return QFIELD;
        if (userAgent.startsWith("sdk|")) return SDK;
        if (userAgent.startsWith("cli|")) return CLI;
        if (QGIS.matcher(userAgent).matches()) return QFIELDSYNC;
        if (userAgent.startsWith("Mozilla/5.0 ") && BROWSER_ENGINE.matcher(userAgent).matches()) return BROWSER;
        return UNKNOWN;
    }

    /** Clients that keep one live token: a new login expires the previous token of the same type. */
    public boolean singleToken() {
        return this == QFIELD || this == QFIELDSYNC || this == UNKNOWN;
    }

    public String wireName() {
        return name().toLowerCase();
    }
}
