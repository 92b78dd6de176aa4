-- Seed 000, the tiered secrets example, as written there (inside a fresh database).
CREATE SCHEMA IF NOT EXISTS ninja;
CREATE TABLE IF NOT EXISTS ninja.ninja_point (
  id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
  pg_user TEXT,
  some_value TEXT NOT NULL,
  geom GEOMETRY(POINT, 4326)
);
BEGIN;
SET LOCAL SEARCH_PATH TO ninja, public;
CREATE OR REPLACE FUNCTION update_pg_user() RETURNS TRIGGER AS $$
BEGIN
NEW.pg_user := current_user;
RETURN NEW;
END;
$$ LANGUAGE plpgsql SET search_path FROM CURRENT;
COMMIT;
BEGIN;
SET LOCAL SEARCH_PATH TO ninja, public;
DROP TRIGGER IF EXISTS trg_ninja_point_update_pg_user ON ninja.ninja_point;
CREATE TRIGGER trg_ninja_point_update_pg_user
BEFORE INSERT OR UPDATE ON ninja_point
FOR EACH ROW EXECUTE FUNCTION update_pg_user();
COMMIT;
GRANT USAGE ON SCHEMA ninja TO ninja_org, ninja_project, ninja_user;
GRANT SELECT ON TABLE ninja.ninja_point TO ninja_user;
GRANT SELECT, INSERT, UPDATE ON TABLE ninja.ninja_point TO ninja_project;
GRANT ALL PRIVILEGES ON TABLE ninja.ninja_point TO ninja_org;
