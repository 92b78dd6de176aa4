CREATE TABLE projects (
    id                               uuid PRIMARY KEY,
    name                             text    NOT NULL CHECK (name ~ '^[a-zA-Z0-9_.-]+$' AND length(name) <= 255),
    owner_id                         bigint  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    description                      text    NOT NULL DEFAULT '',
    project_type                     text    NOT NULL DEFAULT 'regular' CHECK (project_type IN ('regular', 'template', 'shared_datasets')),
    is_public                        boolean NOT NULL DEFAULT false,
    is_featured                      boolean NOT NULL DEFAULT false,
    is_attachment_download_on_demand boolean NOT NULL DEFAULT false,
    has_restricted_projectfiles      boolean NOT NULL DEFAULT false,
    overwrite_conflicts              boolean NOT NULL DEFAULT true,
    storage_keep_versions            integer CHECK (storage_keep_versions BETWEEN 1 AND 100),
    created_by                       bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at                       timestamptz NOT NULL DEFAULT now(),
    updated_at                       timestamptz NOT NULL DEFAULT now(),
    data_last_packaged_at            timestamptz,
    data_last_updated_at             timestamptz,
    restricted_data_last_updated_at  timestamptz,
    the_qgis_file_name               text,
    qgis_version                     text,
    file_storage_bytes               bigint  NOT NULL DEFAULT 0,
    project_details                  jsonb,
    UNIQUE (owner_id, name)
);
CREATE INDEX projects_public ON projects (id) WHERE is_public;

CREATE TABLE project_collaborators (
    id              bigserial PRIMARY KEY,
    project_id      uuid    NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    collaborator_id bigint  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role            text    NOT NULL DEFAULT 'reader' CHECK (role IN ('admin', 'manager', 'editor', 'reporter', 'reader')),
    is_incognito    boolean NOT NULL DEFAULT false,
    created_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    updated_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, collaborator_id)
);
CREATE INDEX project_collaborators_collaborator ON project_collaborators (collaborator_id);
