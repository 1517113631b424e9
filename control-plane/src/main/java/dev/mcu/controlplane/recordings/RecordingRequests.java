package dev.mcu.controlplane.recordings;

import dev.mcu.events.Topics;
import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.state.CompactedTable;
import dev.mcu.events.state.OutputKind;
import dev.mcu.events.state.RecordingRequest;
import dev.mcu.events.state.RecordingState;
import dev.mcu.events.state.RecordingStatus;

import java.time.Clock;
import java.util.Collection;
import java.util.Optional;

/**
 * The recordings as the control plane keeps them: what admins asked ({@link Topics#RECORDINGS},
 * written here only) and how each stands ({@link Topics#RECORDING_STATUS}, written by the worker
 * hosting the room, and here only for a recording no worker holds). Both are compacted topics, so
 * a restarted control plane loses nothing.
 */
public final class RecordingRequests implements AutoCloseable {

    private final CompactedTable<RecordingRequest> requests;
    private final CompactedTable<RecordingStatus> status;
    private final Clock clock;

    public RecordingRequests(KafkaBus bus, Clock clock) {
        bus.ensureTopic(Topics.RECORDINGS);
        bus.ensureTopic(Topics.RECORDING_STATUS);
        this.requests = new CompactedTable<>(bus, Topics.RECORDINGS, RecordingRequest.class);
        this.status = new CompactedTable<>(bus, Topics.RECORDING_STATUS, RecordingStatus.class);
        this.clock = clock;
    }

    public Optional<RecordingRequest> request(String id) {
        return requests.get(id);
    }

    public Collection<RecordingRequest> all() {
        return requests.all();
    }

    public RecordingStatus status(RecordingRequest r) {
        return status.get(r.id()).orElse(RecordingStatus.starting(r.id(), r.room()));
    }

    /** The room's recording that is still wanted and has not ended, if any (one at a time per room). */
    public Optional<RecordingRequest> running(String room) {
        return running(room, OutputKind.RECORDING).stream().findFirst();
    }

    /** The room's outputs of this kind that are still wanted and have not ended. */
    public java.util.List<RecordingRequest> running(String room, OutputKind kind) {
        return requests.all().stream()
                .filter(r -> r.room().equals(room) && r.kind() == kind && r.wanted() && !status(r).state().ended())
                .toList();
    }

    /** Records the request; the worker hosting the room (now or when someone joins) starts it. */
    public RecordingStatus create(RecordingRequest r) {
        RecordingStatus s = RecordingStatus.starting(r.id(), r.room());
        status.put(r.id(), s);
        requests.put(r.id(), r);
        return s;
    }

    /**
     * Asks a recording to stop. The worker hosting its room closes the file and completes it; with
     * no worker (the room is empty) there is nothing to close and it is complete at once.
     *
     * @return its status as it stands now
     */
    public RecordingStatus stop(RecordingRequest r, boolean roomHosted) {
        RecordingStatus s = status(r);
        if (s.state().ended()) {
            return s;
        }
        requests.put(r.id(), r.stopped(clock.millis()));
        if (!roomHosted) {
            RecordingStatus done = s.ended(RecordingState.COMPLETE, clock.millis(), null);
            status.put(r.id(), done);
            return done;
        }
        return s;
    }

    /** A deleted room's recordings stop (before the room's worker is told to close it). */
    public void roomDeleted(String room, boolean roomHosted) {
        for (RecordingRequest r : requests.all()) {
            if (r.room().equals(room) && r.wanted()) {
                stop(r, roomHosted);
            }
        }
    }

    @Override
    public void close() {
        requests.close();
        status.close();
    }
}
