package dev.mcu.mixer.peer;

import dev.mcu.events.signal.Layout;
import dev.mcu.mixer.video.ViewSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CodecChoiceTest {

    static final List<String> CONFIGURED = List.of("H264", "VP8", "VP9", "AV1");

    static ViewSpec view(int w, int h, int fps, int kbps) {
        return new ViewSpec(Layout.GRID, w, h, fps, kbps, false, null);
    }

    @Test
    void ordinaryViewsKeepTheConfiguredOrder() {
        assertEquals(CONFIGURED, CodecChoice.forView(CONFIGURED, view(640, 360, 30, 800)));
        assertEquals(CONFIGURED, CodecChoice.forView(CONFIGURED, view(320, 180, 15, 150)), "the low-bandwidth view");
        assertEquals(CONFIGURED, CodecChoice.forView(CONFIGURED, view(640, 360, 30, 300)));
    }

    @Test
    void starvedViewsGetVp8First() {
        assertEquals(List.of("VP8", "H264", "VP9", "AV1"), CodecChoice.forView(CONFIGURED, view(640, 360, 30, 150)));
        assertEquals(List.of("VP8", "H264", "VP9", "AV1"), CodecChoice.forView(CONFIGURED, view(1280, 720, 30, 800)));
    }

    @Test
    void aConfigurationWithoutVp8IsLeftAlone() {
        assertEquals(List.of("H264"), CodecChoice.forView(List.of("H264"), view(640, 360, 30, 150)));
    }
}
