-- Tests only: the scripted job type (ScriptedJobHandler) that tests use to hold a project's queue or to fail a job
-- on purpose. Production databases never get this migration, so their jobs table refuses the type.
ALTER TABLE jobs DROP CONSTRAINT IF EXISTS jobs_type_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_type_check CHECK (type IN ('process_projectfile', 'package', 'delta_apply', 'test_scripted'));
