-- Seed 000: the login and group roles of the tiered and proxy examples. Roles are cluster-wide and may be
-- left from an earlier run or made by something else: create what is missing, then set every password and
-- attribute the tests rely on, so that a stale role never makes them fail.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ninja_org') THEN CREATE ROLE ninja_org; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ninja_project') THEN CREATE ROLE ninja_project; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ninja_user') THEN CREATE ROLE ninja_user; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'qfield_admin') THEN CREATE ROLE qfield_admin; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'user_mielena') THEN CREATE ROLE user_mielena; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'user_jonas') THEN CREATE ROLE user_jonas; END IF;
END $$;
ALTER ROLE ninja_org WITH LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD 'your_strong_password_for_org';
ALTER ROLE ninja_project WITH LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD 'your_strong_password_for_project';
ALTER ROLE ninja_user WITH LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD 'strong_password_for_user_001';
ALTER ROLE qfield_admin WITH LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD 'strong_password';
ALTER ROLE user_mielena WITH NOLOGIN NOSUPERUSER NOBYPASSRLS;
ALTER ROLE user_jonas WITH NOLOGIN NOSUPERUSER NOBYPASSRLS;
GRANT user_mielena TO qfield_admin;
GRANT user_jonas TO qfield_admin;
