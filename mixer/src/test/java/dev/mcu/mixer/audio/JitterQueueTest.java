package dev.mcu.mixer.audio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class JitterQueueTest {

    private static void put(JitterQueue q, short value) {
        short[] chunk = q.claim();
        if (chunk != null) {
            chunk[0] = value;
            q.publish();
        }
    }

    @Test
    void prebuffersThenDeliversInOrderAndTreatsEmptyAsSilence() {
        JitterQueue q = new JitterQueue(4);
        put(q, (short) 1);
        assertNull(q.poll(), "one chunk is below the prebuffer");
        put(q, (short) 2);
        short[] first = q.poll();
        assertNotNull(first);
        assertEquals(1, first[0]);
        q.release();
        assertEquals(2, q.poll()[0]);
        q.release();
        assertNull(q.poll(), "empty is silence");
        assertEquals(1, q.underruns());
        put(q, (short) 3);
        assertNull(q.poll(), "after running dry it prebuffers again");
    }

    @Test
    void aFullQueueDropsTheNewestChunk() {
        JitterQueue q = new JitterQueue(3);
        for (short i = 1; i <= 5; i++) {
            put(q, i);
        }
        assertEquals(3, q.depth());
        assertEquals(2, q.dropped());
        assertEquals(1, q.poll()[0]);
    }
}
