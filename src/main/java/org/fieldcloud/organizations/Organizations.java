package org.fieldcloud.organizations;

import java.util.Map;
import org.fieldcloud.accounts.Account;
import org.fieldcloud.accounts.AccountRules;
import org.fieldcloud.accounts.Accounts;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.api.RequestFields;
import org.fieldcloud.permissions.OrganizationAction;
import org.fieldcloud.permissions.Policy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creating, deleting and transferring organizations (D3).
 * <p>Decisions where the spec is silent: the e-mail of an organization is optional and, unlike a person's,
 * need not be unique; transferring to the current owner or to a non-member is a 400 {@code validation_error};
 * the transfer answers with the Organization object as the caller (now an admin member) sees it.
 */
@Service
public class Organizations {

    private final JdbcClient jdbc;
    private final Policy policy;
    private final Accounts accounts;
    private final OrganizationProfiles profiles;

    Organizations(JdbcClient jdbc, Policy policy, Accounts accounts, OrganizationProfiles profiles) {
        this.jdbc = jdbc;
        this.policy = policy;
        this.accounts = accounts;
        this.profiles = profiles;
    }

    @Transactional
    public Map<String, Object> create(Actor actor, RequestFields body) {
        long ownerId = actor.requireUserId();
        String name = body.requiredNonBlank("username");
        AccountRules.checkUsername("username", name);
        String email = body.string("email").orElse("");
        if (!email.isEmpty()) {
            AccountRules.checkEmail("email", email);
        }
        long id = accounts.createGroupAccount(name, Account.ORGANIZATION, email);
        jdbc.sql("INSERT INTO organizations (user_id, owner_id, created_by) VALUES (:id, :owner, :owner)")
                .param("id", id).param("owner", ownerId).update();
        return profiles.view(actor, id);
    }

    /** Projects, teams and member rows go with the organization (foreign keys cascade from its account row). */
    @Transactional
    public void delete(Actor actor, String org, RequestFields body) {
        Policy.OrganizationAccess access = policy.requireOrganization(actor, OrganizationAction.OWNER_ONLY, org);
        if (!access.username().equals(body.string("confirm").orElse(null))) {
            throw ApiException.badRequest("Field 'confirm' must repeat the organization's name ('" + access.username()
                    + "') to confirm that it is deleted with all its projects, teams and members.");
        }
        // Team accounts are rows of their own in users; only their teams row hangs off the organization.
        jdbc.sql("DELETE FROM users WHERE id IN (SELECT user_id FROM teams WHERE organization_id = :org)")
                .param("org", access.organizationId()).update();
        jdbc.sql("DELETE FROM users WHERE id = :org").param("org", access.organizationId()).update();
    }

    @Transactional
    public Map<String, Object> transfer(Actor actor, String org, RequestFields body) {
        Policy.OrganizationAccess access = policy.requireOrganization(actor, OrganizationAction.OWNER_ONLY, org);
        String newOwner = body.requiredNonBlank("new_owner");
        Long memberRow = jdbc.sql("""
                SELECT m.id FROM organization_members m JOIN users u ON u.id = m.member_id
                 WHERE m.organization_id = :org AND u.username = :name AND u.type = 1""")
                .param("org", access.organizationId()).param("name", newOwner).query(Long.class).optional()
                .orElseThrow(() -> ApiException.validation("Field 'new_owner': '" + newOwner
                        + "' is not a member of '" + access.username() + "'; ownership can only go to an existing member."));
        long newOwnerId = jdbc.sql("DELETE FROM organization_members WHERE id = :id RETURNING member_id")
                .param("id", memberRow).query(Long.class).single();
        jdbc.sql("""
                INSERT INTO organization_members (organization_id, member_id, role, created_by, updated_by)
                VALUES (:org, :old, 'admin', :old, :old)""")
                .param("org", access.organizationId()).param("old", access.ownerId()).update();
        jdbc.sql("UPDATE organizations SET owner_id = :new, updated_at = now() WHERE user_id = :org")
                .param("new", newOwnerId).param("org", access.organizationId()).update();
        return profiles.view(actor, access.organizationId());
    }
}
