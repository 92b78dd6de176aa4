-- Issue 12 §1: a listed project's busy status (ProjectBusyFromJobs) is one probe of the few waiting or running jobs,
-- however many finished jobs the project's history holds.
CREATE INDEX jobs_busy ON jobs (project_id) WHERE status IN ('pending', 'queued', 'started');
