package dev.mcu.controlplane.recordings;

import dev.mcu.events.state.RecordingRequest;
import dev.mcu.events.state.RecordingState;
import dev.mcu.events.state.RecordingStatus;
import dev.mcu.events.storage.RecordingStorage;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PROTOCOL.md's recording object, from the request and the status: {@code id}, {@code room},
 * {@code state}, {@code startedAtMs}, {@code endedAtMs}, {@code durationMs}, {@code bytes},
 * {@code segments} (in order) and {@code error} when it failed; extensions: {@code layout},
 * {@code width}, {@code height}, {@code fps}, {@code droppedFrames}.
 */
final class RecordingView {

    private RecordingView() {
    }

    static Map<String, Object> of(RecordingRequest r, RecordingStatus s, RecordingStorage storage) {
        // Stop asked, file not closed yet: stopping, whatever the worker last reported.
        RecordingState state = !r.wanted() && !s.state().ended() ? RecordingState.STOPPING : s.state();
        List<Map<String, Object>> segments = new ArrayList<>();
        long bytes = 0;
        for (RecordingStatus.Segment g : s.segments()) {
            // A worker that died reported its segment's size a moment before: the file knows better.
            long size = Math.max(g.bytes(), fileSize(storage, r.id(), g.file()));
            bytes += size;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", g.index());
            m.put("workerId", g.workerId());
            m.put("startedAtMs", g.startedAtMs());
            m.put("endedAtMs", g.endedAtMs());
            m.put("durationMs", g.durationMs());
            m.put("bytes", size);
            segments.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("room", r.room());
        m.put("state", state.wireName());
        m.put("startedAtMs", s.startedAtMs());
        m.put("endedAtMs", s.endedAtMs());
        m.put("durationMs", s.durationMs());
        m.put("bytes", bytes);
        m.put("segments", segments);
        if (s.error() != null) {
            m.put("error", s.error());
        }
        m.put("layout", r.layout().wireName());
        m.put("width", r.width());
        m.put("height", r.height());
        m.put("fps", r.fps());
        m.put("droppedFrames", s.droppedFrames());
        return m;
    }

    private static long fileSize(RecordingStorage storage, String id, String file) {
        if (storage == null) {
            return 0;
        }
        try {
            return Files.size(storage.of(id).resolve(file));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
