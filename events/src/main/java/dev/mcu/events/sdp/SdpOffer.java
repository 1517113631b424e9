package dev.mcu.events.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the mixer needs to know of an SDP offer before handing it to libwebrtc, and the checks
 * that keep malformed input away from native code: size, line count, a session header, at least
 * one audio or video m-line. Parsing is deliberately shallow; libwebrtc remains the real parser.
 */
public record SdpOffer(String sdp, List<Media> media) {

    /** Offers larger than this are refused (a browser's offer is a few KiB). */
    public static final int MAX_BYTES = 64 * 1024;
    public static final int MAX_LINES = 2000;

    /** One m-line: its kind, its direction, the codec names it offers in its order, its mid (or null). */
    public record Media(String kind, String direction, List<String> codecs, String mid) {
    }

    public static SdpOffer parse(String sdp) {
        if (sdp == null || sdp.isBlank()) {
            throw new InvalidSdpException("sdp is empty");
        }
        if (sdp.length() > MAX_BYTES) {
            throw new InvalidSdpException("sdp is larger than " + MAX_BYTES + " bytes");
        }
        String[] lines = sdp.split("\r?\n");
        if (lines.length > MAX_LINES) {
            throw new InvalidSdpException("sdp has more than " + MAX_LINES + " lines");
        }
        if (!lines[0].startsWith("v=0")) {
            throw new InvalidSdpException("sdp does not start with v=0");
        }
        List<Media> media = new ArrayList<>();
        String kind = null;
        String direction = "sendrecv";
        List<String> codecs = new ArrayList<>();
        String mid = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw new InvalidSdpException("not an SDP line: " + abbreviate(line));
            }
            if (line.startsWith("m=")) {
                if (kind != null) {
                    media.add(new Media(kind, direction, List.copyOf(codecs), mid));
                }
                mid = null;
                String[] parts = line.substring(2).split(" ");
                kind = parts[0].toLowerCase(Locale.ROOT);
                direction = "sendrecv";
                codecs.clear();
            } else if (kind != null && line.startsWith("a=rtpmap:")) {
                int space = line.indexOf(' ');
                int slash = line.indexOf('/', space + 1);
                if (space > 0 && slash > space) {
                    codecs.add(line.substring(space + 1, slash).toUpperCase(Locale.ROOT));
                }
            } else if (kind != null && line.startsWith("a=mid:")) {
                mid = line.substring(6);
            } else if (kind != null && (line.equals("a=sendrecv") || line.equals("a=sendonly")
                    || line.equals("a=recvonly") || line.equals("a=inactive"))) {
                direction = line.substring(2);
            }
        }
        if (kind != null) {
            media.add(new Media(kind, direction, List.copyOf(codecs), mid));
        }
        if (media.stream().noneMatch(m -> m.kind().equals("audio") || m.kind().equals("video"))) {
            throw new InvalidSdpException("sdp has no audio or video m-line");
        }
        return new SdpOffer(sdp, List.copyOf(media));
    }

    public boolean hasVideo() {
        return media.stream().anyMatch(m -> m.kind().equals("video"));
    }

    public boolean hasAudio() {
        return media.stream().anyMatch(m -> m.kind().equals("audio"));
    }

    public int mediaCount() {
        return media.size();
    }

    /** Whether a trickled candidate names an m-line of this offer (by mid when given, else by index). */
    public boolean hasMediaLine(String sdpMid, Integer sdpMLineIndex) {
        if (sdpMid != null) {
            return media.stream().anyMatch(m -> sdpMid.equals(m.mid()));
        }
        return sdpMLineIndex != null && sdpMLineIndex >= 0 && sdpMLineIndex < media.size();
    }

    /** The first codec of the preference list that the offer's first video m-line carries, or null. */
    public String preferredVideoCodec(List<String> preference) {
        for (Media m : media) {
            if (m.kind().equals("video")) {
                for (String codec : preference) {
                    if (m.codecs().contains(codec.toUpperCase(Locale.ROOT))) {
                        return codec.toUpperCase(Locale.ROOT);
                    }
                }
                return null;
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
