package org.fieldcloud.deltas.apply;

/** The layer has no single primary key nor a {@code fid} field: deltas cannot address its features, but it can still be read. */
public class NoPrimaryKeyException extends LayerException {
    public NoPrimaryKeyException(String message) {
        super(message);
    }
}
