package dev.mcu.mixer.peer;

import dev.mcu.events.signal.CodedException;
import dev.mcu.events.signal.ErrorCode;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One peer's SDP exchanges, one at a time and in order, without a thread waiting: libwebrtc would
 * interleave a second offer's steps with the first's. A client may have only a few offers waiting;
 * a further one is refused at once ({@code bad-request}), never queued.
 */
final class OfferQueue {

    /** Offers of one client waiting for their answers at once. */
    static final int MAX_QUEUED = 3;

    private CompletableFuture<?> last = CompletableFuture.completedFuture(null);
    private int queued;

    /** Runs the exchange after the ones before it have ended, however they ended. */
    synchronized <T> CompletableFuture<T> enqueue(Supplier<CompletableFuture<T>> exchange) {
        if (queued >= MAX_QUEUED) {
            return CompletableFuture.failedFuture(new CodedException(ErrorCode.BAD_REQUEST,
                    "an offer is already being negotiated; wait for its answer"));
        }
        queued++;
        CompletableFuture<T> next = last.handle((x, e) -> null).thenCompose(x -> exchange.get());
        last = next.whenComplete((x, e) -> ended());
        return next;
    }

    private synchronized void ended() {
        queued--;
    }
}
