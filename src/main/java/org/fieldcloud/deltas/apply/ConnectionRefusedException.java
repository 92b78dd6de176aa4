package org.fieldcloud.deltas.apply;

/**
 * A layer's PostgreSQL connection is refused before any connection is attempted: its host is FieldCloud's own
 * database, a link-local/cloud-metadata address, or outside {@code FIELDCLOUD_DATASOURCE_HOSTS}; or its
 * {@code PG*} secrets mix levels (DECISIONS D10.1, D10.2). This fails the layer — each of its deltas fails with this
 * message and other layers go on — not the job: the refusal is about that layer's datasource, and nothing was sent
 * anywhere. The message names the layer and the rule, never a secret value, host or port.
 */
public class ConnectionRefusedException extends LayerException {
    public ConnectionRefusedException(String message) {
        super(message);
    }
}
