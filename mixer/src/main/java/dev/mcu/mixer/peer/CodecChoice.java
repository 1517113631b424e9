package dev.mcu.mixer.peer;

import dev.mcu.mixer.video.ViewSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The outbound codec order for one viewer: the configured preference (H.264 first: the cheapest to
 * encode), except for views with very few bits per pixel, where VP8 keeps a far better picture
 * (docs/PERFORMANCE.md: +4.6 dB PSNR at 0.022 bits per pixel, +1.1 dB at 0.043) for a cost that is
 * small on such views. Decided when the viewer's offer is answered.
 */
public final class CodecChoice {

    /** Below this many bits per pixel per frame, VP8 goes first. */
    public static final double LOW_BITS_PER_PIXEL = 0.03;

    private CodecChoice() {
    }

    public static double bitsPerPixel(ViewSpec view) {
        return view.bitrateKbps() * 1000.0 / ((double) view.width() * view.height() * view.fps());
    }

    public static List<String> forView(List<String> configured, ViewSpec view) {
        if (bitsPerPixel(view) >= LOW_BITS_PER_PIXEL || !configured.contains("VP8")) {
            return configured;
        }
        List<String> order = new ArrayList<>(configured.size());
        order.add("VP8");
        configured.stream().filter(c -> !c.equals("VP8")).forEach(order::add);
        return List.copyOf(order);
    }
}
