package dev.mcu.mixer.peer;

import dev.mcu.events.signal.CodedException;
import dev.mcu.events.signal.ErrorCode;
import dev.onvoid.webrtc.RTCIceCandidate;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client's offers run one at a time and only a few may wait; the mixer's candidates follow their answer. */
class OfferQueueTest {

    @Test
    void offersRunInOrderAndAFourthWaitingOneIsRefusedAtOnce() throws Exception {
        OfferQueue queue = new OfferQueue();
        List<CompletableFuture<String>> exchanges = new ArrayList<>();
        List<Integer> started = new ArrayList<>();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < OfferQueue.MAX_QUEUED; i++) {
            int n = i;
            CompletableFuture<String> exchange = new CompletableFuture<>();
            exchanges.add(exchange);
            answers.add(queue.enqueue(() -> {
                started.add(n);
                return exchange;
            }));
        }
        assertEquals(List.of(0), started, "only the first runs while it is under way");
        CompletableFuture<String> refused = queue.enqueue(() -> CompletableFuture.completedFuture("never"));
        ExecutionException e = assertThrows(ExecutionException.class, refused::get);
        assertEquals(ErrorCode.BAD_REQUEST, assertInstanceOf(CodedException.class, e.getCause()).code());

        exchanges.get(0).completeExceptionally(new IllegalStateException("refused by libwebrtc"));
        assertEquals(List.of(0, 1), started, "a failed exchange lets the next one run");
        exchanges.get(1).complete("answer 1");
        exchanges.get(2).complete("answer 2");
        assertEquals(List.of(0, 1, 2), started);
        assertEquals("answer 2", answers.get(2).get());
        assertEquals("again", queue.enqueue(() -> CompletableFuture.completedFuture("again")).get(),
                "room again once the queue drained");
    }

    @Test
    void candidatesGatheredBeforeTheAnswerIsSentFollowIt() {
        List<String> sent = new ArrayList<>();
        LocalCandidates candidates = new LocalCandidates(c -> sent.add(c.sdp));
        candidates.gathered(new RTCIceCandidate("0", 0, "candidate:1 1 udp 1 127.0.0.1 5000 typ host"));
        assertTrue(sent.isEmpty(), "held while the answer is on its way");
        candidates.release();
        assertEquals(1, sent.size());
        candidates.gathered(new RTCIceCandidate("0", 0, "candidate:2 1 udp 1 127.0.0.1 5001 typ host"));
        assertEquals(2, sent.size(), "after the answer, at once");
        candidates.hold();
        candidates.gathered(new RTCIceCandidate("0", 0, "candidate:3 1 udp 1 127.0.0.1 5002 typ host"));
        assertFalse(sent.size() == 3, "a renegotiation holds them again");
        candidates.release();
        assertEquals(3, sent.size());
    }
}
