-- The claim looks for older waiting jobs of the same project (jobs of a project run in queue order).
CREATE INDEX jobs_waiting_per_project ON jobs (project_id, seq) WHERE status IN ('pending', 'queued');
