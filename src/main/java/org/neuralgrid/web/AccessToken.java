package org.neuralgrid.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The dashboard's shared secret. Candidates are compared in constant time: both sides are hashed first, so
 * neither the content nor the length of the token leaks through the time a comparison takes.
 */
final class AccessToken {
    /** The cookie a page request with a correct {@code ?token=} sets. */
    static final String COOKIE = "neuralgrid_token";
    static final String QUERY_PARAM = "token";

    private final byte[] digest;

    AccessToken(String token) {
        this.digest = sha256(token);
    }

    boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(candidate));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
