-- Seed 000: three login roles for the tiered example (cluster-wide, created once).
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ninja_org') THEN
    CREATE ROLE ninja_org LOGIN PASSWORD 'your_strong_password_for_org';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ninja_project') THEN
    CREATE ROLE ninja_project LOGIN PASSWORD 'your_strong_password_for_project';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ninja_user') THEN
    CREATE ROLE ninja_user LOGIN PASSWORD 'strong_password_for_user_001';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'qfield_admin') THEN
    CREATE ROLE qfield_admin WITH LOGIN PASSWORD 'strong_password';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'user_mielena') THEN
    CREATE ROLE user_mielena WITH NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'user_jonas') THEN
    CREATE ROLE user_jonas WITH NOLOGIN;
  END IF;
END $$;
GRANT user_mielena TO qfield_admin;
GRANT user_jonas TO qfield_admin;
