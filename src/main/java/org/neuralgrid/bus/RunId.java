package org.neuralgrid.bus;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Run ids: 12 lower-case hex digits, random. Every layer checks an id with {@link #isValid} before it uses it, so
 * no other text reaches a file path, a query or an event-bus address.
 */
public final class RunId {
    public static final Pattern PATTERN = Pattern.compile("[0-9a-f]{12}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunId() {
    }

    public static boolean isValid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }

    /** A new random id (the store makes sure it is not taken). */
    public static String random() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
