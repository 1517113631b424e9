package dev.mcu.events;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** PROTOCOL.md ids: opaque strings of {@code [A-Za-z0-9_-]{1,64}}. */
public final class Ids {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static boolean valid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public static String require(String id, String what) {
        if (!valid(id)) {
            throw new IllegalArgumentException(what + " must match [A-Za-z0-9_-]{1,64}: " + id);
        }
        return id;
    }

    /** A new random id with the given prefix, e.g. {@code p_3fK9...}. */
    public static String random(String prefix) {
        StringBuilder b = new StringBuilder(prefix.length() + 17).append(prefix).append('_');
        for (int i = 0; i < 16; i++) {
            b.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return b.toString();
    }
}
