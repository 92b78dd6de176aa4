package org.fieldcloud.accounts;

import java.security.SecureRandom;
import org.fieldcloud.ops.FieldCloudSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * On a server with no staff account yet, creates one: FIELDCLOUD_ADMIN_USERNAME / _PASSWORD when set,
 * else 'admin' with a random password written once to the console (never to the log). It runs before the
 * HTTP port opens, so the first request can already log in.
 */
@Component
@Profile("!admin & !worker")
class InitialAdmin implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(InitialAdmin.class);

    private final Accounts accounts;
    private final FieldCloudSettings settings;

    InitialAdmin(Accounts accounts, FieldCloudSettings settings) {
        this.accounts = accounts;
        this.settings = settings;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (accounts.anyStaff()) {
            return;
        }
        FieldCloudSettings.Admin admin = settings.adminOrEmpty();
        String username = admin.username() == null || admin.username().isBlank() ? "admin" : admin.username();
        boolean generated = admin.password() == null || admin.password().isEmpty();
        String password = generated ? randomPassword() : admin.password();
        accounts.createPerson(new Accounts.NewPerson(username, "", password, "", "", true));
        log.info("Created the initial staff account '{}'", username);
        if (generated) {
            System.out.println();
            System.out.println("  FieldCloud initial staff account: " + username);
            System.out.println("  Password (shown only this once):  " + password);
            System.out.println();
            System.out.flush();
        }
    }

    private static String randomPassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
