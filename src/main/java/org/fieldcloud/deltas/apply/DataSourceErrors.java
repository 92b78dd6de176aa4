package org.fieldcloud.deltas.apply;

import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Error texts from data sources, reduced to what the database said (never connection strings or credentials). */
final class DataSourceErrors {

    private DataSourceErrors() { }

    static String describe(Exception e) {
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            return "PostgreSQL: " + m.getMessage() + (m.getDetail() == null ? "" : " (" + m.getDetail() + ")");
        }
        if (e instanceof SQLException) {
            return "Database error: " + e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
