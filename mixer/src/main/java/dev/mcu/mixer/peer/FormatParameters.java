package dev.mcu.mixer.peer;

import java.util.HashSet;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the format parameters ({@code a=fmtp}) of some formats of an SDP, chosen by their
 * {@code a=rtpmap}: libwebrtc configures each of its senders from the remote description's format
 * parameters, so the mixer sets its own senders by rewriting a client's offer before applying it.
 * A format without an {@code a=fmtp} line gets one after its {@code a=rtpmap} when the rewrite
 * gives it parameters. Other lines, and their line endings, are kept as they are.
 */
final class FormatParameters {

    private static final Pattern FMTP = Pattern.compile("^a=fmtp:(\\d+) (.*)$");

    private FormatParameters() {
    }

    /**
     * @param rtpmap  matches the {@code a=rtpmap} lines of the formats to rewrite; group 1 is the payload type
     * @param rewrite from a format's parameters ({@code ""} when it has no {@code a=fmtp} line) to its new ones
     */
    static String rewrite(String sdp, Pattern rtpmap, UnaryOperator<String> rewrite) {
        Set<String> formats = new HashSet<>();
        Set<String> withFmtp = new HashSet<>();
        for (String line : sdp.split("\r?\n")) {
            Matcher r = rtpmap.matcher(line);
            if (r.matches()) {
                formats.add(r.group(1));
            }
            Matcher f = FMTP.matcher(line);
            if (f.matches()) {
                withFmtp.add(f.group(1));
            }
        }
        if (formats.isEmpty()) {
            return sdp;
        }
        StringBuilder out = new StringBuilder(sdp.length() + 32 * formats.size());
        int start = 0;
        while (start < sdp.length()) {
            int end = sdp.indexOf('\n', start);
            int next = end < 0 ? sdp.length() : end + 1;
            int lineEnd = end < 0 ? sdp.length() : (end > start && sdp.charAt(end - 1) == '\r' ? end - 1 : end);
            String eol = sdp.substring(lineEnd, next);
            String line = sdp.substring(start, lineEnd);
            Matcher f = FMTP.matcher(line);
            if (f.matches() && formats.contains(f.group(1))) {
                line = "a=fmtp:" + f.group(1) + " " + rewrite.apply(f.group(2));
            }
            out.append(line).append(eol);
            Matcher r = rtpmap.matcher(line);
            if (r.matches() && !withFmtp.contains(r.group(1))) {
                String added = rewrite.apply("");
                if (!added.isEmpty()) {
                    out.append("a=fmtp:").append(r.group(1)).append(' ').append(added)
                            .append(eol.isEmpty() ? "\r\n" : eol);
                }
            }
            start = next;
        }
        return out.toString();
    }

    /** Whether {@code parameters} (as in an {@code a=fmtp} line) set {@code name}, in any case. */
    static boolean has(String parameters, String name) {
        for (String p : parameters.split(";")) {
            if (p.trim().toLowerCase(java.util.Locale.ROOT).startsWith(name + "=")) {
                return true;
            }
        }
        return false;
    }

    /** {@code parameters} with {@code parameter} ({@code name=value}) appended. */
    static String append(String parameters, String parameter) {
        return parameters.isEmpty() ? parameter : parameters + ";" + parameter;
    }
}
