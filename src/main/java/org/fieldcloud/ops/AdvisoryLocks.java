package org.fieldcloud.ops;

/** PostgreSQL advisory lock keys shared by features that must not run at the same time, on any node. */
public final class AdvisoryLocks {

    /** A backup holds it exclusively while it copies blobs; deleting blobs takes it shared and skips a round when it cannot. */
    public static final long BLOB_DELETION = 0x4643_424B_5550_0001L;

    private AdvisoryLocks() { }
}
