package io.bytekeep.atrest;

import java.io.IOException;

/**
 * A stored object that cannot be turned into verified plaintext: wrong or unknown key, changed, truncated,
 * reordered or extended bytes. Thrown before any unverified plaintext is handed out.
 */
public class DecryptionRefused extends IOException {

    public DecryptionRefused(String message) {
        super(message);
    }
}
