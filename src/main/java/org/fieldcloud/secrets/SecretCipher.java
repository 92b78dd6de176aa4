package org.fieldcloud.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.springframework.stereotype.Component;

/**
 * AES-256-GCM with a fresh 96-bit nonce per value. The associated data is the secret's id, scope, name and
 * type, so a ciphertext moved to another row fails authentication. Errors name the secret, never its value.
 */
@Component
class SecretCipher {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Cipher lookup costs more than decrypting a short value; each thread keeps one. */
    private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JVM", e);
        }
    });
    private final SecretKeys keys;

    SecretCipher(SecretKeys keys) {
        this.keys = keys;
    }

    record Sealed(String keyId, byte[] nonce, byte[] ciphertext) { }

    record Binding(long id, String scope, String name, String type) {
        byte[] bytes() {
            return (id + "\u0000" + scope + "\u0000" + name + "\u0000" + type).getBytes(StandardCharsets.UTF_8);
        }
    }

    Sealed seal(String value, Binding binding) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = GCM.get();
            c.init(Cipher.ENCRYPT_MODE, keys.current(), new GCMParameterSpec(128, nonce));
            c.updateAAD(binding.bytes());
            return new Sealed(keys.currentId(), nonce, c.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Encrypting secret " + binding.id() + " failed: " + e.getClass().getSimpleName());
        }
    }

    String open(Sealed sealed, Binding binding) {
        SecretKey key = keys.byId(sealed.keyId());
        if (key == null) {
            throw new SecretDecryptionException("Secret " + binding.id() + " (" + binding.name() + ") is encrypted with key '" + sealed.keyId()
                    + "', which is not configured in FIELDCLOUD_SECRETS_KEYS.");
        }
        try {
            Cipher c = GCM.get();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed.nonce()));
            c.updateAAD(binding.bytes());
            return new String(c.doFinal(sealed.ciphertext()), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SecretDecryptionException("Secret " + binding.id() + " (" + binding.name()
                    + ") does not decrypt: its ciphertext was altered or belongs to another secret.");
        } catch (GeneralSecurityException e) {
            throw new SecretDecryptionException("Secret " + binding.id() + " (" + binding.name() + ") does not decrypt: " + e.getClass().getSimpleName());
        }
    }

    boolean current(String keyId) {
        return keys.currentId().equals(keyId);
    }
}
