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
        List<Session> closing = List.copyOf(open.values());
        closing.forEach(s -> s.closeByServer(code, reason));
        // Let the close frames go out before anything stops the server under them (one second in all).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        try {
            for (Session s : closing) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || !s.awaitWritten(left)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closeAll(1012, "signaling node stopping");
        timer.shutdownNow();
        pool.shutdown();
    }
}
