package dev.mcu.events.sdp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CandidateLineTest {

    private static final String GOOD = "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0";

    @Test
    void plausibleCandidatesPass() {
        assertDoesNotThrow(() -> CandidateLine.validate("0", 0, GOOD));
        assertDoesNotThrow(() -> CandidateLine.validate(null, 1, "a=" + GOOD));
    }

    @Test
    void garbageIsRefusedBeforeLibwebrtc() {
        assertThrows(InvalidSdpException.class, () -> CandidateLine.validate("0", 0, "hello"));
        assertThrows(InvalidSdpException.class, () -> CandidateLine.validate("0", 0, GOOD + "\r\nm=video"));
        assertThrows(InvalidSdpException.class, () -> CandidateLine.validate("0", 0, GOOD + "x".repeat(2000)));
        assertThrows(InvalidSdpException.class, () -> CandidateLine.validate("0 1", 0, GOOD));
        assertThrows(InvalidSdpException.class, () -> CandidateLine.validate("0", -1, GOOD));
    }
}
