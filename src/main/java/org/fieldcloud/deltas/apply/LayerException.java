package org.fieldcloud.deltas.apply;

/** A layer cannot be opened or used; the message names the layer and what failed, never a credential. */
public class LayerException extends Exception {
    public LayerException(String message) {
        super(message);
    }

    public LayerException(String message, Throwable cause) {
        super(message, cause);
    }
}
