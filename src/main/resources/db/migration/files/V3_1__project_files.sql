-- Versioned project files. A version row is written only after its bytes are completely stored, so a
-- listing never shows a half-written upload.
CREATE TABLE project_files (
    id         bigserial PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 255 AND octet_length(name) <= 1024),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, name)
);

CREATE TABLE file_versions (
    id           uuid PRIMARY KEY,
    file_id      bigint NOT NULL REFERENCES project_files (id) ON DELETE CASCADE,
    storage_key  text   NOT NULL UNIQUE,
    size         bigint NOT NULL CHECK (size >= 0),
    etag         text   NOT NULL,
    sha256       text   NOT NULL,
    qgis_version text,
    uploaded_at  timestamptz NOT NULL,
    uploaded_by  bigint REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX file_versions_file ON file_versions (file_id, uploaded_at DESC);

CREATE TABLE project_thumbnails (
    project_id  uuid PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    storage_key text NOT NULL,
    size        bigint NOT NULL,
    uploaded_at timestamptz NOT NULL DEFAULT now()
);

-- Blobs to remove from storage once not_before has passed. An upload registers its key here (with a grace
-- period) before writing and removes it in the transaction that records the version, so a crash at any point
-- leaves a row for the sweeper. Deleting a version or thumbnail row (also by cascade from a deleted project)
-- registers its blob for immediate removal, so storage follows the database whichever feature deletes.
CREATE TABLE orphan_blobs (
    storage_key text PRIMARY KEY,
    not_before  timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION orphan_blob_of_deleted_row() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.storage_key IS DISTINCT FROM NEW.storage_key THEN
        INSERT INTO orphan_blobs (storage_key) VALUES (OLD.storage_key)
            ON CONFLICT (storage_key) DO UPDATE SET not_before = now();
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER file_versions_orphan AFTER DELETE ON file_versions
    FOR EACH ROW EXECUTE FUNCTION orphan_blob_of_deleted_row();
CREATE TRIGGER project_thumbnails_orphan AFTER DELETE OR UPDATE ON project_thumbnails
    FOR EACH ROW EXECUTE FUNCTION orphan_blob_of_deleted_row();
