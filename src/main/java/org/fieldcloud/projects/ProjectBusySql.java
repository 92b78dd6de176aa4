package org.fieldcloud.projects;

/**
 * The hook through which the jobs feature tells project representations whether a project is {@code busy}
 * (a job pending, queued or started; reference §3.4). It is a SQL boolean expression over the alias
 * {@code p} (the projects row) so that project lists stay one statement whatever their length.
 */
public interface ProjectBusySql {

    /** A SQL boolean expression using only the alias {@code p}; never client text. */
    String busyExpression();
}
