package dev.mcu.controlplane.recordings;

import dev.mcu.controlplane.http.JsonBody;
import dev.mcu.controlplane.http.Problem;
import dev.mcu.events.signal.Layout;
import dev.mcu.events.state.RoomRecord;

import java.util.Set;

/**
 * The picture a recording or a live stream asks for: {@code layout}, {@code width}, {@code height}
 * (even, 160x90 to 1920x1080) and {@code fps} (1 to 30), each defaulting to the room's own.
 */
record OutputSpec(Layout layout, int width, int height, int fps) {

    static final Set<String> FIELDS = Set.of("layout", "width", "height", "fps");
    private static final Set<String> LAYOUTS = Set.of("grid", "speaker", "presentation");

    static OutputSpec read(JsonBody body, RoomRecord room) {
        String layout = body.string("layout", false, 16);
        if (layout != null && !LAYOUTS.contains(layout)) {
            throw Problem.badRequest("layout must be grid, speaker or presentation");
        }
        Integer w = body.integer("width", 160, 1920);
        Integer h = body.integer("height", 90, 1080);
        Integer fps = body.integer("fps", 1, 30);
        int width = w != null ? w : room.video().width();
        int height = h != null ? h : room.video().height();
        if ((width & 1) != 0 || (height & 1) != 0) {
            throw Problem.badRequest("width and height must be even");
        }
        return new OutputSpec(Layout.fromWire(layout != null ? layout : room.layout()), width, height,
                fps != null ? fps : room.video().fps());
    }
}
