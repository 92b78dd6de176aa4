package org.fieldcloud.qgis;

/** A project file that cannot be used; the message names the file and the problem. */
public class QgisProjectException extends Exception {
    public QgisProjectException(String message) {
        super(message);
    }
}
