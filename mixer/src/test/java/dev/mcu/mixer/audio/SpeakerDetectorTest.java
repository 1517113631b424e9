package dev.mcu.mixer.audio;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SpeakerDetectorTest {

    private static long energy(double amplitude) {
        return (long) (amplitude * amplitude / 2 * 480);
    }

    @Test
    void theLoudestTakesTheFloorAfterTheSwitchDelayAndHoldsIt() {
        List<String> changes = new ArrayList<>();
        SpeakerDetector d = new SpeakerDetector(1000, changes::add);
        long t = 0;
        for (; t < SpeakerDetector.SWITCH_MS + 100; t += 10) {
            d.level("a", energy(10_000), 480);
            d.level("b", energy(500), 480);
            d.decide(t);
        }
        assertEquals(List.of("a"), changes);
        // b gets louder at once, but a holds the floor for the hold time.
        long switchAt = t;
        for (; t < switchAt + 2000; t += 10) {
            d.level("a", energy(500), 480);
            d.level("b", energy(10_000), 480);
            d.decide(t);
            if (t < switchAt + 500) {
                assertEquals("a", d.speaker());
            }
        }
        assertEquals(List.of("a", "b"), changes);
    }

    @Test
    void silenceElectsNobodyAndLeavingOpensTheFloor() {
        List<String> changes = new ArrayList<>();
        SpeakerDetector d = new SpeakerDetector(0, changes::add);
        for (long t = 0; t < 1000; t += 10) {
            d.level("a", 0, 480);
            d.decide(t);
        }
        assertNull(d.speaker());
        for (long t = 1000; t < 2000; t += 10) {
            d.level("a", energy(8000), 480);
            d.decide(t);
        }
        d.forget("a");
        assertNull(d.speaker());
        assertEquals(2, changes.size());
        assertNull(changes.get(1));
    }
}
