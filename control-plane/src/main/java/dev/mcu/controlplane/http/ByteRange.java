package dev.mcu.controlplane.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of an HTTP {@code Range} header (RFC 9110 section 14): {@code bytes=a-b},
 * {@code bytes=a-} or {@code bytes=-n}. Several ranges, other units or a malformed header are
 * ignored (the whole file is sent), as the RFC allows; a range past the end is unsatisfiable (416).
 *
 * @param first the first byte sent
 * @param last  the last byte sent, inclusive
 */
public record ByteRange(long first, long last) {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

    /** Thrown for a well-formed range that selects nothing of the file. */
    public static final class Unsatisfiable extends Exception {
        public Unsatisfiable() {
            super(null, null, false, false);
        }
    }

    public long length() {
        return last - first + 1;
    }

    /** The range the header asks of a file of this size, or null for the whole file. */
    public static ByteRange parse(String header, long size) throws Unsatisfiable {
        if (header == null) {
            return null;
        }
        Matcher m = SINGLE.matcher(header.strip());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    throw new Unsatisfiable();
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (first >= size) {
                throw new Unsatisfiable();
            }
            if (last < first) {
                return null; // invalid: ignored
            }
            return new ByteRange(first, last);
        } catch (NumberFormatException e) {
            return null; // beyond a long: ignored
        }
    }
}
