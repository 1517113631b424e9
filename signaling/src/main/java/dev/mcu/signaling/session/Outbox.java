package dev.mcu.signaling.session;

import java.lang.System.Logger.Level;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A session's outgoing frames, written by a virtual thread of its own: a client that reads slowly
 * holds up only itself, never the reply tail shared by every session of the node. A client that
 * falls {@value #CAPACITY} frames behind is disconnected (1008).
 */
final class Outbox {

    private static final System.Logger LOG = System.getLogger(Outbox.class.getName());
    static final int CAPACITY = 1024;

    private sealed interface Item {
    }

    private record Text(String text) implements Item {
    }

    private record Close(int code, String reason) implements Item {
    }

    private final ClientSocket socket;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(CAPACITY);
    private volatile boolean closing;
    private final CountDownLatch done = new CountDownLatch(1);

    Outbox(ClientSocket socket, String name) {
        this.socket = socket;
        Thread.ofVirtual().name("outbox-" + name).start(this::drain);
    }

    void send(String text) {
        if (closing) {
            return;
        }
        if (!queue.offer(new Text(text))) {
            LOG.log(Level.WARNING, "client too slow, {0} frames queued: disconnecting", CAPACITY);
            closing = true;
            queue.clear();
            queue.offer(new Close(1008, "too slow"));
        }
    }

    /** Sends what is queued, then closes the socket. */
    void close(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        if (!queue.offer(new Close(code, reason))) {
            queue.clear();
            queue.offer(new Close(code, reason));
        }
    }

    /** The socket is gone: stop without writing. */
    void abandon() {
        closing = true;
        queue.clear();
        queue.offer(new Close(-1, null));
    }

    /** Waits until the writer has stopped (after a close or an abandon); false on timeout. */
    boolean awaitDone(long millis) throws InterruptedException {
        return done.await(millis, TimeUnit.MILLISECONDS);
    }

    private void drain() {
        try {
            while (true) {
                Item item = queue.take();
                if (item instanceof Text t) {
                    socket.sendText(t.text());
                } else if (item instanceof Close c) {
                    if (c.code() > 0) {
                        socket.close(c.code(), c.reason());
                    }
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "writing to a client failed: {0}", e.getMessage());
        } finally {
            done.countDown();
        }
    }
}
