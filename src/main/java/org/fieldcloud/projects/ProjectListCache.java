package org.fieldcloud.projects;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Each person's ordered project lists (per filter and ordering): the ids with the person's role and its origin, as
 * {@code project_roles_of} and the list's {@code ORDER BY} gave them. Computing roles for every visible project and
 * sorting them costs far more than reading one page, and the official CLI reads the whole list in pages of 20, so
 * without this every page would pay for the whole list (issue 12 §1).
 *
 * <p><b>Why a version number and not notifications.</b> Migration V9_1 keeps one number, {@code project_list_version},
 * that every change able to alter any person's list bumps in the changing transaction. Each list is cached with the
 * number it was computed at, and the statement that reads a page's rows reads the number too, in the same snapshot.
 * The cached list is used only when the two agree, otherwise it is computed again. So a list is never stale, on any
 * node, not even for the request right after a change on another node: a page always needs one statement anyway
 * (busy status, names, sizes and package state change without touching the list), and asking the number costs
 * nothing more in it. LISTEN/NOTIFY (as the token cache uses) would save no statement here but would leave a window
 * between a commit and the notification's arrival, and need every write path to also invalidate its own node.
 * The price is coarseness: any membership or project change anywhere makes every cached list recompute once.
 *
 * <p>Authorization is not decided here: the cached roles are the output of the policy module's SQL
 * ({@link org.fieldcloud.permissions.Policy#PROJECT_ROLES}), reused only while nothing they depend on changed.
 *
 * <p><b>Full-list bodies.</b> The whole list (no {@code limit}) is also kept as the JSON body last sent, with the
 * snapshot its rows were read in. Reading and writing 1,000 rows costs some 40 times a page of 20, and QField and
 * QFieldSync ask for the whole list on every sync. A body is sent again only while it is exact: the list version is
 * the same and no transaction that changed anything a row shows (migration V9_7, {@code project_changes}) has
 * committed since its snapshot. That check is one statement of a few index probes ({@link #BODY_CHECK}). Pages are
 * not kept as bodies: reading 20 rows by id is hardly dearer than the check.
 *
 * <p>Memory is bounded by the number of cached projects ({@value #MAX_CACHED_PROJECTS}, about 45 bytes each) and by
 * the bytes of cached bodies ({@value #MAX_CACHED_BODY_BYTES}, some 90 people with 1,000 projects each); when
 * either is full, all of its kind is dropped and recomputed on demand.
 */
@Component
class ProjectListCache {

    /** The list version as a SQL expression, to be read in the same statement as what it vouches for. */
    static final String VERSION = "(SELECT version FROM project_list_version)";

    static final int MAX_CACHED_PROJECTS = 500_000;
    static final long MAX_CACHED_BODY_BYTES = 64L << 20;

    /**
     * For a body read in snapshot {@code :snapshot}: the current list version, and whether no change has committed
     * since. The changes that snapshot did not see are those of transactions that had not started (the newest change
     * is at or after its {@code xmax}) or were running (its {@code xip}); each is one index probe, whatever the
     * number of change rows and however long ago the oldest running transaction began. A body read before the
     * pruning horizon cannot be checked (the change rows it needs may be gone).
     */
    static final String BODY_CHECK = """
            SELECT (SELECT version FROM project_list_version) AS list_version,
                   (SELECT horizon FROM project_changes_horizon) <= pg_snapshot_xmin(CAST(:snapshot AS pg_snapshot))
                   AND coalesce((SELECT c.xid FROM project_changes c ORDER BY c.xid DESC LIMIT 1)
                                 < pg_snapshot_xmax(CAST(:snapshot AS pg_snapshot)), true)
                   AND NOT EXISTS (SELECT 1 FROM pg_snapshot_xip(CAST(:snapshot AS pg_snapshot)) AS running(xid)
                                     CROSS JOIN LATERAL (SELECT 1 FROM project_changes c WHERE c.xid = running.xid LIMIT 1) seen)
                   AS unchanged""";
    /** Length of a UUID's text plus the comma that separates it from the next one. */
    private static final int ID_STRIDE = 37;

    /**
     * One person's list at {@code version}: ids as one comma-separated text (a page's {@code uuid[]} literal is then
     * a substring), roles and origins by position.
     */
    record Listing(long version, String ids, String[] roles, String[] origins) {

        int size() {
            return roles.length;
        }

        /** The {@code uuid[]} literal of positions {@code from} (inclusive) to {@code to} (exclusive); not empty. */
        String idsLiteral(int from, int to) {
            return "{" + ids.substring(from * ID_STRIDE, to * ID_STRIDE - 1) + "}";
        }

        static Listing of(long version, java.util.List<String> ids, java.util.List<String> roles, java.util.List<String> origins) {
            StringBuilder joined = new StringBuilder(ids.size() * ID_STRIDE);
            for (String id : ids) {
                if (id.length() != ID_STRIDE - 1) {
                    throw new IllegalStateException("not a UUID: " + id);
                }
                joined.append(id).append(',');
            }
            return new Listing(version, joined.toString(), roles.stream().map(Listing::canonical).toArray(String[]::new),
                    origins.stream().map(Listing::canonical).toArray(String[]::new));
        }

        /** Roles and origins are a handful of words; sharing one instance of each keeps a list at ~45 bytes a project. */
        private static String canonical(String word) {
            return word == null ? null : word.intern();
        }
    }

    record Key(long person, String query) { }

    /** A whole list's JSON body as read in {@code snapshot}, for the list at {@code listVersion}. */
    record Body(long listVersion, String snapshot, byte[] json, long total) { }

    private final ConcurrentHashMap<Key, Listing> lists = new ConcurrentHashMap<>();
    private final AtomicLong cachedProjects = new AtomicLong();
    private final ConcurrentHashMap<Key, Body> bodies = new ConcurrentHashMap<>();
    private final AtomicLong cachedBodyBytes = new AtomicLong();

    Body body(Key key) {
        return bodies.get(key);
    }

    void putBody(Key key, Body body) {
        if (cachedBodyBytes.addAndGet(body.json().length) > MAX_CACHED_BODY_BYTES) {
            bodies.clear();
            cachedBodyBytes.set(body.json().length);
        }
        Body previous = bodies.put(key, body);
        if (previous != null) {
            cachedBodyBytes.addAndGet(-previous.json().length);
        }
    }

    Listing get(Key key) {
        return lists.get(key);
    }

    void put(Key key, Listing listing) {
        if (cachedProjects.addAndGet(listing.size()) > MAX_CACHED_PROJECTS) {
            lists.clear();
            cachedProjects.set(listing.size());
        }
        Listing previous = lists.put(key, listing);
        if (previous != null) {
            cachedProjects.addAndGet(-previous.size());
        }
    }
}
