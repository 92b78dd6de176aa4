-- Accounts: persons, organizations and teams share one table (the reference's single user table),
-- so that usernames are unique across all three and a collaborator can be a person or a team.

CREATE TABLE plans (
    id                                            bigserial PRIMARY KEY,
    code                                          text    NOT NULL UNIQUE,
    display_name                                  text    NOT NULL,
    user_type                                     smallint NOT NULL CHECK (user_type IN (1, 2)),
    is_default                                    boolean NOT NULL DEFAULT false,
    is_premium                                    boolean NOT NULL DEFAULT false,
    max_premium_collaborators_per_private_project integer NOT NULL DEFAULT -1 CHECK (max_premium_collaborators_per_private_project >= -1),
    max_organization_members                      integer NOT NULL DEFAULT -1 CHECK (max_organization_members >= -1),
    storage_keep_versions                         integer NOT NULL DEFAULT 10 CHECK (storage_keep_versions BETWEEN 1 AND 100),
    storage_quota_bytes                           bigint  NOT NULL DEFAULT 10737418240 CHECK (storage_quota_bytes >= 0)
);

-- One default plan per account type. Self-hosted servers are generous by default; staff can add stricter plans.
CREATE UNIQUE INDEX plans_one_default_per_type ON plans (user_type) WHERE is_default;
INSERT INTO plans (code, display_name, user_type, is_default, is_premium) VALUES
    ('default_user', 'Default (person)', 1, true, true),
    ('default_org', 'Default (organization)', 2, true, true);

CREATE TABLE users (
    id               bigserial PRIMARY KEY,
    username         text     NOT NULL,
    type             smallint NOT NULL CHECK (type IN (1, 2, 3)),
    email            text     NOT NULL DEFAULT '',
    first_name       text     NOT NULL DEFAULT '',
    last_name        text     NOT NULL DEFAULT '',
    password_hash    text,
    is_active        boolean  NOT NULL DEFAULT true,
    is_staff         boolean  NOT NULL DEFAULT false,
    has_accepted_tos boolean  NOT NULL DEFAULT false,
    plan_id          bigint REFERENCES plans (id),
    date_joined      timestamptz NOT NULL DEFAULT now(),
    last_login       timestamptz,
    CHECK (type <> 1 OR plan_id IS NOT NULL),
    CHECK (type = 1 OR password_hash IS NULL)
);
-- Usernames are unique without regard to case (USER1 and user1 are the same account).
CREATE UNIQUE INDEX users_username_ci ON users (upper(username));
CREATE UNIQUE INDEX users_person_email_ci ON users (lower(email)) WHERE type = 1 AND email <> '';

-- Only a hash of each token is stored: a database dump does not hand out sessions.
CREATE TABLE auth_tokens (
    id           bigserial PRIMARY KEY,
    key_hash     text   NOT NULL UNIQUE,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_type  text   NOT NULL,
    user_agent   text   NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    last_used_at timestamptz
);
CREATE INDEX auth_tokens_user ON auth_tokens (user_id, client_type);

CREATE TABLE login_failures (
    username        text    NOT NULL,
    client_address  text    NOT NULL,
    failures        integer NOT NULL,
    last_failure_at timestamptz NOT NULL,
    PRIMARY KEY (username, client_address)
);
