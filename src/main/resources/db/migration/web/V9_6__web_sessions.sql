-- Issue 13 §4: the pages' sessions (Spring Session JDBC) live here, so a signed-in person can be served by any app
-- node. The layout is the one Spring Session's JdbcIndexedSessionRepository reads and writes; times are epoch
-- milliseconds. Expired rows are deleted by every node's Spring Session cleanup (once a minute).
CREATE TABLE spring_session (
    primary_id            char(36)     NOT NULL PRIMARY KEY,
    session_id            char(36)     NOT NULL,
    creation_time         bigint       NOT NULL,
    last_access_time      bigint       NOT NULL,
    max_inactive_interval integer      NOT NULL,
    expiry_time           bigint       NOT NULL,
    principal_name        varchar(100)
);
CREATE UNIQUE INDEX spring_session_session_id ON spring_session (session_id);
CREATE INDEX spring_session_expiry_time ON spring_session (expiry_time);
CREATE INDEX spring_session_principal_name ON spring_session (principal_name);

CREATE TABLE spring_session_attributes (
    session_primary_id char(36)     NOT NULL REFERENCES spring_session (primary_id) ON DELETE CASCADE,
    attribute_name     varchar(200) NOT NULL,
    attribute_bytes    bytea        NOT NULL,
    PRIMARY KEY (session_primary_id, attribute_name)
);
