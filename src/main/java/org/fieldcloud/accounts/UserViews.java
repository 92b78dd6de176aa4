package org.fieldcloud.accounts;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The wire shapes of accounts: PublicUser and CompleteUser (reference §2.1). */
@Component
public class UserViews {

    public Map<String, Object> publicUser(Account a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("username", a.username());
        out.put("type", a.type());
        out.put("full_name", a.fullName());
        out.put("avatar_url", null);
        out.put("username_display", a.type() == Account.TEAM ? teamShortName(a.username()) : a.username());
        return out;
    }

    public Map<String, Object> complete(Account a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("username", a.username());
        out.put("type", a.type());
        out.put("full_name", a.fullName());
        out.put("email", a.email());
        out.put("avatar_url", null);
        out.put("first_name", a.firstName());
        out.put("last_name", a.lastName());
        return out;
    }

    /** '@org/team' → 'team'. */
    public static String teamShortName(String username) {
        int slash = username.indexOf('/');
        return slash < 0 ? username : username.substring(slash + 1);
    }
}
