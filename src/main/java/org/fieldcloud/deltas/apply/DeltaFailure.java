package org.fieldcloud.deltas.apply;

/** One delta cannot be applied; the message is reported in that delta's feedback. */
class DeltaFailure extends Exception {
    DeltaFailure(String message) {
        super(message);
    }
}
