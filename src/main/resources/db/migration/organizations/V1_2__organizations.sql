CREATE TABLE organizations (
    user_id                          bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    owner_id                         bigint NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    created_by                       bigint REFERENCES users (id) ON DELETE SET NULL,
    default_project_role_for_members text CHECK (default_project_role_for_members IN ('admin', 'manager', 'editor', 'reporter', 'reader')),
    created_at                       timestamptz NOT NULL DEFAULT now(),
    updated_at                       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX organizations_owner ON organizations (owner_id);

-- The owner is never a member row: ownership is the organizations.owner_id column.
CREATE TABLE organization_members (
    id              bigserial PRIMARY KEY,
    organization_id bigint  NOT NULL REFERENCES organizations (user_id) ON DELETE CASCADE,
    member_id       bigint  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role            text    NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'creator', 'member')),
    is_public       boolean NOT NULL DEFAULT false,
    created_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    updated_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, member_id)
);
CREATE INDEX organization_members_member ON organization_members (member_id);

-- A team is an account (type 3, username '@<org>/<team>') so that it can be a project collaborator.
CREATE TABLE teams (
    user_id         bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    organization_id bigint NOT NULL REFERENCES organizations (user_id) ON DELETE CASCADE
);
CREATE INDEX teams_organization ON teams (organization_id);

CREATE TABLE team_members (
    id        bigserial PRIMARY KEY,
    team_id   bigint NOT NULL REFERENCES teams (user_id) ON DELETE CASCADE,
    member_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    UNIQUE (team_id, member_id)
);
CREATE INDEX team_members_member ON team_members (member_id);
