package org.fieldcloud.jobs;

import java.util.Map;
import org.fieldcloud.files.ProjectFileUploaded;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Queues a process_projectfile job after an upload that affects the QGIS project (files publish after commit). */
@Component
class ProcessingTrigger {

    private final Jobs jobs;

    ProcessingTrigger(Jobs jobs) {
        this.jobs = jobs;
    }

    @EventListener
    void uploaded(ProjectFileUploaded event) {
        if (event.triggersProcessing()) {
            jobs.enqueue(event.projectId(), Job.PROCESS_PROJECTFILE, event.userId(), Map.of(), true);
        }
    }
}
