package org.fieldcloud.jobs;

import org.fieldcloud.projects.ProjectBusySql;
import org.springframework.stereotype.Component;

/** A project is busy while one of its jobs waits or runs (reference §3.4). */
@Component
class ProjectBusyFromJobs implements ProjectBusySql {

    @Override
    public String busyExpression() {
        return "EXISTS (SELECT 1 FROM jobs bj WHERE bj.project_id = p.id AND bj.status IN ('pending', 'queued', 'started'))";
    }
}
