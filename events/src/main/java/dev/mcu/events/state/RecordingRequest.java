package dev.mcu.events.state;

import dev.mcu.events.signal.Layout;

/**
 * What an admin asked for: a recording (or live stream) of a room, on the compacted topic
 * {@link dev.mcu.events.Topics#RECORDINGS} (key: its id). Only the control plane writes it; the
 * worker that hosts the room carries it out and reports on {@link RecordingStatus}.
 *
 * @param url             the RTMP URL of a live stream; null for a recording
 * @param stopRequestedAtMs when an admin (or the room's deletion) asked it to stop; null while it should run
 */
public record RecordingRequest(String id, String room, OutputKind kind, Layout layout, int width, int height,
                               int fps, String url, long requestedAtMs, Long stopRequestedAtMs) {

    /** The URL up to its host, for logs and listings: RTMP stream keys travel in the path and are secrets. */
    public String redactedUrl() {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        int path = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
        return path < 0 ? url : url.substring(0, path) + "/…";
    }

    public boolean wanted() {
        return stopRequestedAtMs == null;
    }

    public RecordingRequest stopped(long nowMs) {
        return stopRequestedAtMs != null ? this
                : new RecordingRequest(id, room, kind, layout, width, height, fps, url, requestedAtMs, nowMs);
    }
}
