package org.fieldcloud.accounts;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

/** Argon2id password hashing (salted, memory-hard), the only way passwords are stored. */
@Component
public class Passwords {

    private final Argon2PasswordEncoder encoder = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();

    public String hash(String password) {
        return encoder.encode(password);
    }

    public boolean matches(String password, String hash) {
        return hash != null && encoder.matches(password, hash);
    }
}
