package dev.mcu.mixer.audio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void aStandingQueueDrainsToThePrebufferOneChunkPerWindow() {
        JitterQueue q = new JitterQueue(8);
        short next = 0;
        for (int i = 0; i < 7; i++) {
            put(q, next++); // a burst: seven chunks waiting
        }
        short expected = 0;
        for (int tick = 0; tick < 10 * JitterQueue.TRIM_WINDOW; tick++) {
            put(q, next++); // then one arrives per tick, as one leaves
            short[] chunk = q.poll();
            assertNotNull(chunk);
            assertTrue(chunk[0] >= expected, "chunks stay in order");
            expected = (short) (chunk[0] + 1);
            q.release();
        }
        assertEquals(JitterQueue.PREBUFFER - 1, q.depth(), "drained to the prebuffer: two chunks at each poll");
        assertEquals(7 - JitterQueue.PREBUFFER + 1, q.trimmed());
        assertEquals(0, q.dropped());
        assertEquals(0, q.underruns());
    }

    @Test
    void aQueueAtThePrebufferIsNotTrimmed() {
        JitterQueue q = new JitterQueue(8);
        put(q, (short) 0);
        short next = 1;
        for (int tick = 0; tick < 5 * JitterQueue.TRIM_WINDOW; tick++) {
            put(q, next++);
            assertNotNull(q.poll());
            q.release();
        }
        assertEquals(0, q.trimmed());
    }
}
