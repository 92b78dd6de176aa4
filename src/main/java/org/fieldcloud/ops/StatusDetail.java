package org.fieldcloud.ops;

import java.util.Map;

/** Something a feature adds to {@code GET /api/v1/status/} (e.g. when the last backup was taken). */
public interface StatusDetail {

    void addTo(Map<String, Object> status);
}
