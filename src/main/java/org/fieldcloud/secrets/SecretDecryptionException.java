package org.fieldcloud.secrets;

/** A stored secret cannot be decrypted; the message names the secret and the reason, never the value. */
public class SecretDecryptionException extends RuntimeException {
    public SecretDecryptionException(String message) {
        super(message);
    }
}
