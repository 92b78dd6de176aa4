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
 * <p>Memory is bounded by the number of cached projects ({@value #MAX_CACHED_PROJECTS}, about 45 bytes each); when
 * full, everything is dropped and lists are recomputed on demand.
 */
@Component
class ProjectListCache {

    /** The list version as a SQL expression, to be read in the same statement as what it vouches for. */
    static final String VERSION = "(SELECT version FROM project_list_version)";

    static final int MAX_CACHED_PROJECTS = 500_000;
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

    private final ConcurrentHashMap<Key, Listing> lists = new ConcurrentHashMap<>();
    private final AtomicLong cachedProjects = new AtomicLong();

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
