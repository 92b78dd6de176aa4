package org.fieldcloud.projects;

import org.fieldcloud.support.TestData;

/** Test helper: gives an account its own plan, so that limits can be tried without touching the defaults. */
final class Plans {

    private Plans() { }

    static void assign(TestData data, long accountId, int userType, boolean premium, int maxCollaborators) {
        long plan = data.jdbc().sql("""
                INSERT INTO plans (code, display_name, user_type, is_premium, max_premium_collaborators_per_private_project)
                VALUES (:code, 'test plan', :type, :premium, :max) RETURNING id""")
                .param("code", TestData.unique("plan")).param("type", userType).param("premium", premium).param("max", maxCollaborators)
                .query(Long.class).single();
        data.jdbc().sql("UPDATE users SET plan_id = :plan WHERE id = :id").param("plan", plan).param("id", accountId).update();
    }
}
