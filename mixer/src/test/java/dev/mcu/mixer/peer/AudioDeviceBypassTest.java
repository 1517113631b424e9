package dev.mcu.mixer.peer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On this build of webrtc-java the audio device can be taken out of the media path through the
 * vtable slots: the probe saw recording follow its slot (nothing recorded when off, audio recorded
 * when on) and received audio pulled by libwebrtc's poller once playout was off. Every factory then
 * bypasses its device, and its guard never pauses a push.
 */
class AudioDeviceBypassTest {

    @Test
    void theProbeSeesBothSlotsDoWhatTheySay() {
        long start = System.nanoTime();
        assertTrue(AudioDeviceBypass.available(), "SetAudioPlayout and SetAudioRecording found and checked");
        System.out.printf("probe took %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void aFactoryBypassesItsDeviceAndNeverPausesPushes() {
        try (PeerFactory factory = new PeerFactory(0, 0)) {
            assertTrue(factory.deviceBypassed());
            assertFalse(factory.audioGuard().pauses());
            assertTrue(factory.audioGuard().open());
        }
    }
}
