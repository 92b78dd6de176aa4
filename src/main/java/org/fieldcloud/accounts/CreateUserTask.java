package org.fieldcloud.accounts;

import java.util.Map;
import org.fieldcloud.ops.AdminCommand;
import org.springframework.stereotype.Component;

/** {@code admin create-user --username U --email E --password P [--staff]}. */
@Component
class CreateUserTask implements AdminCommand.AdminTask {

    private final Accounts accounts;

    CreateUserTask(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public String name() {
        return "create-user";
    }

    @Override
    public String run(Map<String, String> options) {
        String username = require(options, "username");
        String password = require(options, "password");
        Account created = accounts.createPerson(new Accounts.NewPerson(username, options.getOrDefault("email", ""), password,
                options.getOrDefault("first-name", ""), options.getOrDefault("last-name", ""),
                Boolean.parseBoolean(options.getOrDefault("staff", "false"))));
        return "created " + (created.staff() ? "staff " : "") + "user '" + created.username() + "'";
    }

    private static String require(Map<String, String> options, String name) {
        String v = options.get(name);
        if (v == null || v.isBlank() || v.equals("true")) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }
}
