package dev.mcu.mixer.video;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class CompositorFitTest {

    @Test
    void picturesKeepTheirAspectInsideTheirTile() {
        assertArrayEquals(new int[] {320, 180}, Compositor.fit(640, 360, 320, 180));
        // Widths are multiples of 16 for swscale's SIMD paths; the height follows the aspect.
        assertArrayEquals(new int[] {416, 234}, Compositor.fit(640, 360, 426, 240));
        // A portrait camera in a landscape tile is pillarboxed.
        assertArrayEquals(new int[] {96, 170}, Compositor.fit(360, 640, 320, 180));
        // A 4:3 camera in a 16:9 tile.
        assertArrayEquals(new int[] {240, 180}, Compositor.fit(640, 480, 320, 180));
    }
}
