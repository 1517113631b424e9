package dev.mcu.signaling.session;

import dev.mcu.events.relay.SessionMessage;
import dev.mcu.events.signal.ErrorCode;
import dev.mcu.events.state.RevokedTokens;
import dev.mcu.events.state.RoomDirectory;
import dev.mcu.events.state.RoomTable;
import dev.mcu.events.state.WorkerTable;
import dev.mcu.signaling.SignalingConfig;
import dev.mcu.signaling.ice.TurnCredentials;
import dev.mcu.signaling.auth.TokenVerifier;
import dev.mcu.signaling.relay.WorkerRelay;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The open sessions of this signaling node, and the routing of worker replies to them. */
public final class Sessions implements AutoCloseable {

    private final Map<String, Session> open = new ConcurrentHashMap<>();
    /** Open sockets by client address. */
    private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();
    /** Where sessions handle worker messages and checks, each in its own order (see Session#mailbox). */
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("signaling-timer").daemon().unstarted(r));
    private final SessionContext context;
    /** Set when the node stops: a socket whose handshake was still in flight is closed as it opens. */
    private volatile boolean stopping;

    /**
     * @param workers the workers' heartbeats: sessions on a worker that died move with their room
     * @param turn    TURN credentials each participant gets in {@code joined}; null for none
     * @param secret  the token secret, which keys the participant ids (the same on every node)
     */
    public Sessions(SignalingConfig config, TokenVerifier tokens, RevokedTokens revoked, RoomTable rooms,
                    RoomDirectory directory, WorkerRelay relay, WorkerTable workers, TurnCredentials turn,
                    String secret) {
        this.context = new SessionContext(config,
                new Admission(tokens, revoked, directory), rooms, directory, relay,
                this, timer, pool, new SignalingMetrics(), turn, new ParticipantIds(secret));
        relay.start(this::deliver);
        timer.scheduleWithFixedDelay(() -> open.values().forEach(s -> s.scheduleWorkerCheck(workers)),
                WORKER_CHECK_MS, WORKER_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    /** How often sessions check their worker is alive (a worker is dead 3 s after its last heartbeat). */
    private static final long WORKER_CHECK_MS = 250;

    /**
     * A session for a new socket from this client address, or null when the address holds its
     * maximum of open sockets (the caller closes the socket).
     */
    public Session open(ClientSocket socket, String address) {
        String key = address == null ? "?" : address;
        int held = perAddress.merge(key, 1, Integer::sum);
        if (held > context.config().socketsPerAddress()) {
            perAddress.merge(key, -1, Integer::sum);
            context.metrics().error(ErrorCode.RATE_LIMITED);
            return null;
        }
        Session s = new Session(context, socket, () -> perAddress.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null));
        open.put(s.id(), s);
        if (stopping) {
            s.closeByServer(1012, "signaling node stopping");
        }
        return s;
    }

    public Session open(ClientSocket socket) {
        return open(socket, null);
    }

    public int count() {
        return open.size();
    }

    void remove(String sessionId) {
        open.remove(sessionId);
    }

    private void deliver(SessionMessage m) {
        Session s = m.session() == null ? null : open.get(m.session());
        if (s != null) {
            s.deliverLater(m); // never on the tail's thread: one slow session must not hold up the node
        }
    }

    /**
     * Closes every session with this close code (1012 "service restart" when the node stops): their
     * participants leave their rooms and the clients reconnect by themselves.
     */
    public void closeAll(int code, String reason) {
        awaitWritten(closeOpen(code, reason), System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
    }

    /**
     * Closes every session with 1012 and keeps closing the sockets that open meanwhile: a client
     * whose handshake completed just before the stop opens its session a moment later, and must
     * hear "service restart" too, not a dropped connection. Takes about a second.
     */
    public void stop() {
        if (stopping) {
            closeOpen(1012, "signaling node stopping");
            return;
        }
        stopping = true;
        long start = System.nanoTime();
        List<Session> closing = closeOpen(1012, "signaling node stopping");
        awaitWritten(closing, start + TimeUnit.SECONDS.toNanos(1));
        long settled = start + TimeUnit.MILLISECONDS.toNanos(LATE_OPEN_MS);
        sleepUntil(settled);
        // Those that opened meanwhile closed themselves in open(); let their close frames go out too.
        awaitWritten(List.copyOf(open.values()), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LATE_OPEN_MS));
    }

    /** How long a stopping node keeps accepting late session opens only to close them with 1012. */
    private static final long LATE_OPEN_MS = 300;

    private List<Session> closeOpen(int code, String reason) {
        List<Session> closing = List.copyOf(open.values());
        closing.forEach(s -> s.closeByServer(code, reason));
        return closing;
    }

    /** Lets the close frames go out before anything stops the server under them. */
    private static void awaitWritten(List<Session> closing, long deadlineNanos) {
        try {
            for (Session s : closing) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
                if (left <= 0 || !s.awaitWritten(left)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepUntil(long nanos) {
        try {
            long left = nanos - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        timer.shutdownNow();
        pool.shutdown();
    }
}
