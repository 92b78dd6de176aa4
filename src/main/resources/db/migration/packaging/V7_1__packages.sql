-- A package is recorded only when its job has stored every file, so a failed or running job never has a
-- package row. packaged_for: the person the package was built for when they have secrets assigned to them
-- (their package is theirs alone, DECISIONS D10.3), NULL for a package everyone without assigned secrets shares.
CREATE TABLE packages (
    job_id        uuid PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    project_id    uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    created_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    packaged_for  bigint REFERENCES users (id) ON DELETE CASCADE,
    layers        jsonb NOT NULL,
    packaged_at   timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX packages_project ON packages (project_id, packaged_for, created_at);

CREATE TABLE package_files (
    job_id       uuid NOT NULL REFERENCES packages (job_id) ON DELETE CASCADE,
    name         text NOT NULL,
    storage_key  text NOT NULL,
    size         bigint NOT NULL,
    etag         text NOT NULL,
    sha256       text NOT NULL,
    md5sum       text NOT NULL,
    uploaded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, name)
);

-- Whether a person's packages of a project are their own: they have a secret assigned to them on the project,
-- or on the organization that owns it (reference-api-jobs §6.2).
CREATE FUNCTION has_personal_secrets(person bigint, project uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM secrets s WHERE s.project_id = project AND s.assigned_to = person)
        OR EXISTS (SELECT 1 FROM secrets s JOIN projects p ON p.owner_id = s.organization_id
                    WHERE p.id = project AND s.assigned_to = person)
$$;

-- The package a person gets: the newest finished one built for them when they have personal secrets, otherwise
-- the newest finished shared one. A running or failed job never counts.
CREATE FUNCTION latest_package(person bigint, project uuid) RETURNS uuid
LANGUAGE sql STABLE AS $$
    SELECT k.job_id FROM packages k JOIN jobs j ON j.id = k.job_id AND j.status = 'finished'
     WHERE k.project_id = project
       AND k.packaged_for IS NOT DISTINCT FROM (CASE WHEN has_personal_secrets(person, project) THEN person END)
     ORDER BY j.seq DESC LIMIT 1
$$;

-- A deleted package file (retention, or a deleted project) leaves its blob to the orphan sweep, as file versions do.
CREATE TRIGGER package_files_orphan AFTER DELETE ON package_files
    FOR EACH ROW EXECUTE FUNCTION orphan_blob_of_deleted_row();
