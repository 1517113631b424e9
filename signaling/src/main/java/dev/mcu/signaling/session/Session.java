package dev.mcu.signaling.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcu.events.Ids;
import dev.mcu.events.Json;
import dev.mcu.events.concurrent.SerialExecutor;
import dev.mcu.events.relay.SessionMessage;
import dev.mcu.events.relay.WorkerCommand;
import dev.mcu.events.sdp.SdpOffer;
import dev.mcu.events.signal.ErrorCode;
import dev.mcu.events.signal.LeaveReason;
import dev.mcu.events.signal.ServerMessage;
import dev.mcu.events.signal.View;
import dev.mcu.events.state.RoomRecord;
import dev.mcu.events.state.WorkerTable;
import dev.mcu.signaling.auth.InvalidTokenException;
import dev.mcu.signaling.auth.JoinGrant;
import dev.mcu.signaling.protocol.ClientMessage;
import dev.mcu.signaling.protocol.ClientMessageParser;
import dev.mcu.signaling.protocol.ProtocolException;

import java.lang.System.Logger.Level;
import dev.mcu.events.signal.IceServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client's WebSocket session: the state machine of PROTOCOL.md section 1. It validates what the
 * client sends, relays it to the room's mixer worker, and forwards what the worker sends back. It
 * holds no media and no room state beyond its own membership, so any node can serve any room.
 */
public final class Session {

    private static final System.Logger LOG = System.getLogger(Session.class.getName());

    /** MOVING: the room's worker died; the participant is joining the room's new worker. */
    enum State { AWAITING_JOIN, JOINING, JOINED, MOVING, CLOSED }

    private final String id = Ids.random("s");
    private final SessionContext context;
    private final Outbox out;
    private final RateLimiter limiter;
    /**
     * Worker messages and worker checks run here, one at a time and in order, off the Kafka tail and
     * the timer: a session that waits (for a placement, say) holds up only itself.
     */
    private final SerialExecutor mailbox;
    private final AtomicBoolean checkQueued = new AtomicBoolean();
    private State state = State.AWAITING_JOIN;
    /** Set from join until the participant is out of the room (null while awaiting a join). */
    private Membership member;
    private SdpOffer lastOffer;
    private int errors;
    private ScheduledFuture<?> joinTimeout;
    private final ScheduledFuture<?> joinDeadline;
    private final Runnable released;
    private boolean joinedOnce;
    private long joinStartedNanos;

    /** @param released called once when the session ends (its socket slot is free again) */
    Session(SessionContext context, ClientSocket socket, Runnable released) {
        this.context = context;
        this.out = new Outbox(socket, id);
        this.limiter = new RateLimiter(context.config().messagesPerSecond(), context.config().burst());
        this.mailbox = new SerialExecutor(context.pool());
        this.released = released;
        // A socket that never joins holds a slot for nothing: it is closed after the deadline.
        this.joinDeadline = context.timer().schedule(() -> mailbox.execute(this::joinDeadlinePassed),
                context.config().joinDeadlineMs(), TimeUnit.MILLISECONDS);
    }

    private synchronized void joinDeadlinePassed() {
        if (state == State.AWAITING_JOIN && !joinedOnce) {
            LOG.log(Level.DEBUG, "session {0}: no join within {1} ms, closing", id, context.config().joinDeadlineMs());
            end();
            out.close(1008, "join within " + context.config().joinDeadlineMs() / 1000 + " s");
        }
    }

    public String id() {
        return id;
    }

    /** A text frame from the client (already reassembled if it came in fragments). */
    public synchronized void onText(String text) {
        if (state == State.CLOSED) {
            return;
        }
        if (!limiter.tryAcquire()) {
            error(new ProtocolException(ErrorCode.RATE_LIMITED, "too many messages; slow down", null));
            return;
        }
        try {
            handle(ClientMessageParser.parse(text));
        } catch (ProtocolException e) {
            error(e);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "session " + id + " failed on a client message", e);
            error(new ProtocolException(ErrorCode.INTERNAL, "internal error", null));
        }
    }

    /** Binary frames, oversized frames: refused, the session carries on. */
    public synchronized void onUnacceptable(String why) {
        if (state != State.CLOSED) {
            error(ProtocolException.badRequest(why, null));
        }
    }

    /** The socket closed (the client left, or the network dropped): leave the room. */
    public synchronized void onSocketClosed() {
        if (inRoom()) {
            relay(null, new WorkerCommand.Leave(LeaveReason.DISCONNECTED));
        }
        end();
        out.abandon();
    }

    /**
     * The server ends the session (the node stops or sheds load): the participant leaves its room
     * and the client, told by the close code, reconnects (to this node or another).
     */
    public synchronized void closeByServer(int code, String reason) {
        if (state == State.CLOSED) {
            return;
        }
        if (inRoom()) {
            relay(null, new WorkerCommand.Leave(LeaveReason.DISCONNECTED));
        }
        end();
        out.close(code, reason);
    }

    /** Waits until the close frame (or the last message) has been written, at most this long. */
    boolean awaitWritten(long millis) throws InterruptedException {
        return out.awaitDone(millis);
    }

    /** Queues a message from the mixer worker for this session. */
    void deliverLater(SessionMessage m) {
        mailbox.execute(() -> deliver(m));
    }

    /** Queues a check of this session's worker, unless one is queued already. */
    void scheduleWorkerCheck(WorkerTable workers) {
        if (checkQueued.compareAndSet(false, true)) {
            mailbox.execute(() -> {
                checkQueued.set(false);
                checkWorker(workers);
            });
        }
    }

    /** The worker's {@code joined} with this participant's own TURN credentials added, if TURN is configured. */
    private ServerMessage.Joined withTurn(ServerMessage.Joined j) {
        if (context.turn() == null) {
            return j;
        }
        List<IceServer> servers = new ArrayList<>(j.iceServers() == null ? List.of() : j.iceServers());
        servers.add(context.turn().issue(member.identity));
        return new ServerMessage.Joined(j.room(), j.participantId(), j.participants(), servers, j.view());
    }

    /** A message from the mixer worker for this session. */
    synchronized void deliver(SessionMessage m) {
        if (state == State.CLOSED) {
            return;
        }
        ServerMessage msg = m.message();
        if (msg instanceof ServerMessage.Error e) {
            context.metrics().error(e.code());
        }
        if (member != null && state != State.AWAITING_JOIN) {
            member.observe(msg);
        }
        switch (msg) {
            case ServerMessage.Joined j when state == State.JOINING -> {
                state = State.JOINED;
                joinedOnce = true;
                cancelJoinTimeout();
                context.metrics().joined(joinStartedNanos);
                msg = withTurn(j);
            }
            case ServerMessage.Joined j when state == State.MOVING -> {
                // Back in the room on its new worker: the client renegotiates, keeping its participantId.
                state = State.JOINED;
                String from = member.takeMovingFrom();
                if (from != null) {
                    relayTo(from, null, new WorkerCommand.Leave(LeaveReason.MOVED)); // a draining worker lets go
                }
                send(new ServerMessage.Reconnect("the room moved to another mixer"), null);
                return;
            }
            case ServerMessage.Error e when state == State.MOVING -> {
                state = State.JOINED; // The next worker check tries again.
            }
            case ServerMessage.Joined j -> {
                return; // A join that timed out here and was withdrawn: the client never sees it.
            }
            case ServerMessage.Error e when state == State.JOINING -> {
                // The join failed (room full, ...): the client may try again.
                state = State.AWAITING_JOIN;
                cancelJoinTimeout();
                member = null;
            }
            case ServerMessage.ParticipantLeft left when member != null
                    && left.participantId().equals(member.participantId) -> {
                // The worker dropped this participant (its peer failed): it may join again.
                state = State.AWAITING_JOIN;
                member = null;
                lastOffer = null;
            }
            default -> {
            }
        }
        if (msg instanceof ServerMessage.Kicked k && member != null && !ServerMessage.Kicked.REPLACED.equals(k.reason())) {
            context.admission().revoke(member.grant); // removed: this token may not come back
        }
        send(msg, m.requestId());
        if (msg.endsSession()) {
            end();
            out.close(1000, msg instanceof ServerMessage.Kicked ? "kicked" : "room closed");
        }
    }

    private void handle(ClientMessage message) {
        switch (message) {
            case ClientMessage.Ping p -> send(new ServerMessage.Pong(), p.id());
            case ClientMessage.Join j -> join(j);
            case ClientMessage.Leave l -> {
                if (inRoom()) {
                    relay(l.id(), new WorkerCommand.Leave(LeaveReason.LEFT));
                }
                end();
                out.close(1000, "left");
            }
            default -> inRoom(message);
        }
    }

    private void join(ClientMessage.Join j) {
        joinStartedNanos = System.nanoTime();
        if (state != State.AWAITING_JOIN) {
            throw ProtocolException.badRequest("already joined", j.id());
        }
        Admission.Admitted admitted = context.admission().admit(j);
        RoomRecord record = admitted.room();
        member = new Membership(context.participantIds().of(record.id(), admitted.grant().identity()), record,
                admitted.grant(), admitted.name());
        state = State.JOINING;
        relay(j.id(), member.join(withRoomDefaults(j.view(), record), record));
        String requestId = j.id();
        joinTimeout = context.timer().schedule(() -> joinTimedOut(requestId),
                context.config().joinTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    /**
     * Called periodically: when the worker hosting this participant's room has died or drains,
     * joins the room's new worker with the same participantId, name, view and mute state; the
     * client then gets {@code reconnect} and sends a new offer.
     */
    synchronized void checkWorker(WorkerTable workers) {
        if (state != State.JOINED || !workers.mustLeave(member.workerId(), member.workerInstance())) {
            return;
        }
        String old = member.workerId();
        Optional<RoomRecord> next = context.directory().assignment(member.room);
        if (next.isEmpty() || (next.get().workerId().equals(old)
                && Objects.equals(next.get().workerInstance(), member.workerInstance()))) {
            return; // No live worker can take the room yet: try again on the next check.
        }
        boolean live = workers.isAlive(old) && workers.isCurrent(old, member.workerInstance());
        LOG.log(Level.INFO, "session {0}: worker {1} is {2}, moving {3} of room {4} to {5}", id, old,
                live ? "draining" : "gone", member.participantId, member.room, next.get().workerId());
        member.moveTo(next.get(), live && !next.get().workerId().equals(old));
        state = State.MOVING;
        lastOffer = null;
        relay(null, member.join(null, next.get()));
    }

    /** What the client did not ask for in its view, the room's settings give. */
    private static View withRoomDefaults(View v, RoomRecord room) {
        View view = v == null ? View.EMPTY : v;
        return new View(view.layout() != null ? view.layout() : room.layout(),
                view.maxWidth() != null ? view.maxWidth() : room.video().width(),
                view.maxHeight() != null ? view.maxHeight() : room.video().height(),
                view.maxFps() != null ? view.maxFps() : room.video().fps(),
                view.maxBitrateKbps(), view.includeSelf(), view.pin());
    }

    private synchronized void joinTimedOut(String requestId) {
        if (state == State.JOINING) {
            relay(null, new WorkerCommand.Leave(LeaveReason.TIMEOUT));
            state = State.AWAITING_JOIN;
            member = null;
            error(new ProtocolException(ErrorCode.UNAVAILABLE, "the room's mixer did not answer", requestId));
        }
    }

    private boolean inRoom() {
        return state == State.JOINED || state == State.JOINING || state == State.MOVING;
    }

    private void inRoom(ClientMessage message) {
        if (state != State.JOINED) {
            throw ProtocolException.badRequest(state == State.AWAITING_JOIN ? "send join first"
                    : "wait for " + (state == State.MOVING ? "reconnect" : "joined") + " before sending "
                    + kind(message), message.id());
        }
        switch (message) {
            case ClientMessage.Offer o -> {
                lastOffer = o.offer();
                relay(o.id(), new WorkerCommand.Offer(o.offer().sdp()));
            }
            case ClientMessage.Candidate c -> {
                if (lastOffer == null) {
                    throw ProtocolException.badRequest("send an offer before candidates", c.id());
                }
                if (c.candidate() != null && !lastOffer.hasMediaLine(c.sdpMid(), c.sdpMLineIndex())) {
                    throw ProtocolException.badRequest("candidate for an m-line the offer does not have", c.id());
                }
                relay(c.id(), new WorkerCommand.Candidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex()));
            }
            case ClientMessage.Mute m -> {
                if (!member.canPublish && (Boolean.FALSE.equals(m.audio()) || Boolean.FALSE.equals(m.video()))) {
                    throw new ProtocolException(ErrorCode.FORBIDDEN, "the token does not grant publish", m.id());
                }
                relay(m.id(), new WorkerCommand.Mute(m.audio(), m.video()));
            }
            case ClientMessage.ChangeView v -> relay(v.id(), new WorkerCommand.ChangeView(v.view()));
            default -> throw new IllegalStateException("unhandled " + message);
        }
    }

    private void relay(String requestId, WorkerCommand.Command command) {
        relayTo(member.workerId(), requestId, command);
    }

    private void relayTo(String worker, String requestId, WorkerCommand.Command command) {
        context.relay().send(worker, new WorkerCommand(member.room, member.participantId, context.relay().nodeId(),
                id, requestId, command));
    }

    private void error(ProtocolException e) {
        context.metrics().error(e.code());
        send(new ServerMessage.Error(e.code(), e.getMessage()), e.requestId());
        if (e.code().clientFault() && ++errors >= context.config().maxErrors()) {
            LOG.log(Level.INFO, "session {0}: {1} errors, disconnecting", id, errors);
            if (inRoom()) {
                relay(null, new WorkerCommand.Leave(LeaveReason.DISCONNECTED));
            }
            end();
            out.close(1008, "too many errors");
        }
    }

    private void send(ServerMessage message, String requestId) {
        ObjectNode node = Json.MAPPER.valueToTree(message);
        if (requestId != null && !node.has("id")) {
            node.put("id", requestId);
        }
        out.send(node.toString());
    }

    private void end() {
        cancelJoinTimeout();
        joinDeadline.cancel(false);
        if (state != State.CLOSED) {
            state = State.CLOSED;
            context.sessions().remove(id);
            released.run();
        }
    }

    private void cancelJoinTimeout() {
        if (joinTimeout != null) {
            joinTimeout.cancel(false);
            joinTimeout = null;
        }
    }

    private static String kind(ClientMessage m) {
        return m.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }
}
