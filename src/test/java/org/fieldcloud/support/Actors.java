package org.fieldcloud.support;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The actor columns of permissions.md around one private project: actor 3 owns a personal project; actors
 * 4–8 are direct collaborators, 9 the owner, 10 an admin, 11 a plain member and C a creator of the
 * organization owning the organization project. {@link #project(String)} gives the project each actor acts on.
 */
public final class Actors {

    public static final String[] COLUMNS = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "C"};

    public final Map<String, TestData.User> users = new LinkedHashMap<>();
    public final TestData.Project personal;
    public final TestData.Project organizational;
    public final TestData.Org org;

    public Actors(TestData data) {
        users.put("1", null);
        users.put("2", data.person("stranger"));
        users.put("3", data.person("owner"));
        personal = data.project(users.get("3"));
        users.put("9", data.person("orgowner"));
        org = data.organization(users.get("9"));
        organizational = data.project(org);
        String[] roles = {"admin", "manager", "editor", "reporter", "reader"};
        for (int i = 0; i < roles.length; i++) {
            TestData.User u = data.person(roles[i]);
            data.member(org, u, "member");
            data.collaborator(organizational, u, roles[i]);
            users.put(Integer.toString(4 + i), u);
        }
        users.put("10", data.person("orgadmin"));
        data.member(org, users.get("10"), "admin");
        users.put("11", data.person("orgmember"));
        data.member(org, users.get("11"), "member");
        users.put("C", data.person("creator"));
        data.member(org, users.get("C"), "creator");
    }

    public TestData.User user(String column) {
        return users.get(column);
    }

    /** The project a column acts on: the personal one for the owner (and strangers), else the organization's. */
    public TestData.Project project(String column) {
        return column.equals("3") ? personal : organizational;
    }

    /** Sets the QGIS file name on both projects, as jobs and deltas need one. */
    public Actors withQgisFile(TestData data) {
        data.jdbc().sql("UPDATE projects SET the_qgis_file_name = 'project.qgs' WHERE id IN (:a, :b)")
                .param("a", personal.id()).param("b", organizational.id()).update();
        return this;
    }
}
