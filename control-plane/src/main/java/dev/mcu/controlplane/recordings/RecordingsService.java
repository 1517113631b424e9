package dev.mcu.controlplane.recordings;

import dev.mcu.controlplane.http.AdminAuth;
import dev.mcu.controlplane.http.ByteRange;
import dev.mcu.controlplane.http.JsonBody;
import dev.mcu.controlplane.http.Problem;
import dev.mcu.controlplane.rooms.RoomLookup;
import dev.mcu.events.Ids;
import dev.mcu.events.state.OutputKind;
import dev.mcu.events.state.RecordingRequest;
import dev.mcu.events.state.RecordingStatus;
import dev.mcu.events.state.RoomRecord;
import dev.mcu.events.state.RoomTable;
import dev.mcu.events.storage.RecordingStorage;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;

/**
 * The recording routes of the admin API (PROTOCOL.md section 2): start, stop, list, get, and the
 * file with range requests. What an admin asks goes on {@link RecordingRequests}; the worker that
 * hosts the room records and reports; this service shows both as PROTOCOL.md's recording object.
 */
public final class RecordingsService implements HttpService {

    /** The route table, also what the OpenAPI document must describe (a test compares them). */
    public static final List<String> ROUTES = List.of(
            "POST /rooms/{room}/recordings", "GET /rooms/{room}/recordings",
            "DELETE /rooms/{room}/recordings/{recording}", "GET /recordings", "GET /recordings/{recording}",
            "GET /recordings/{recording}/file");

    private final RoomTable rooms;
    private final RecordingRequests recordings;
    private final RecordingStorage storage;
    private final AdminAuth auth;
    private final Clock clock;

    public RecordingsService(RoomTable rooms, RecordingRequests recordings, RecordingStorage storage, AdminAuth auth,
                             Clock clock) {
        this.rooms = rooms;
        this.recordings = recordings;
        this.storage = storage;
        this.auth = auth;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/rooms/{room}/recordings", auth.guarded(this::start))
                .get("/rooms/{room}/recordings", auth.guarded(this::listOfRoom))
                .delete("/rooms/{room}/recordings/{recording}", auth.guarded(this::stop))
                .get("/recordings", auth.guarded(this::listAll))
                .get("/recordings/{recording}", auth.guarded(this::get))
                .get("/recordings/{recording}/file", auth.guarded(this::file));
    }

    private void start(ServerRequest req, ServerResponse res) {
        RoomRecord room = RoomLookup.require(req, rooms);
        OutputSpec spec = OutputSpec.read(JsonBody.read(req, OutputSpec.FIELDS), room);
        if (recordings.running(room.id()).isPresent()) {
            throw new Problem(Status.CONFLICT_409, "room " + room.id() + " is being recorded already ("
                    + recordings.running(room.id()).get().id() + ")");
        }
        long free = storage.freeBytes();
        if (free < storage.minFreeBytes() || free == 0) {
            throw new Problem(Status.create(507, "Insufficient Storage"), "the recordings directory has "
                    + (free >> 20) + " MiB free, less than the " + (storage.minFreeBytes() >> 20)
                    + " MiB a recording needs");
        }
        RecordingRequest r = new RecordingRequest(Ids.random("rec"), room.id(), OutputKind.RECORDING, spec.layout(),
                spec.width(), spec.height(), spec.fps(), null, clock.millis(), null);
        RecordingStatus s = recordings.create(r);
        Problem.json(res, Status.CREATED_201, RecordingView.of(r, s, storage));
    }

    private void stop(ServerRequest req, ServerResponse res) {
        RoomRecord room = RoomLookup.require(req, rooms);
        RecordingRequest r = requireRecording(req);
        if (!r.room().equals(room.id())) {
            throw new Problem(Status.NOT_FOUND_404, "no recording " + r.id() + " in room " + room.id());
        }
        RecordingStatus s = recordings.stop(r, room.workerId() != null);
        Problem.json(res, Status.OK_200, RecordingView.of(recordings.request(r.id()).orElse(r), s, storage));
    }

    private void listOfRoom(ServerRequest req, ServerResponse res) {
        String room = req.path().pathParameters().get("room");
        if (!Ids.valid(room)) {
            throw Problem.badRequest("room id must match [A-Za-z0-9_-]{1,64}");
        }
        List<RecordingRequest> of = recordings.all().stream().filter(r -> r.room().equals(room)).toList();
        if (of.isEmpty() && rooms.get(room).isEmpty()) {
            throw new Problem(Status.NOT_FOUND_404, "no room " + room);
        }
        list(res, of);
    }

    private void listAll(ServerRequest req, ServerResponse res) {
        list(res, List.copyOf(recordings.all()));
    }

    private void list(ServerResponse res, List<RecordingRequest> of) {
        Problem.json(res, Status.OK_200, java.util.Map.of("recordings", of.stream()
                .filter(r -> r.kind() == OutputKind.RECORDING)
                .sorted(Comparator.comparingLong(RecordingRequest::requestedAtMs))
                .map(r -> RecordingView.of(r, recordings.status(r), storage)).toList()));
    }

    private void get(ServerRequest req, ServerResponse res) {
        RecordingRequest r = requireRecording(req);
        Problem.json(res, Status.OK_200, RecordingView.of(r, recordings.status(r), storage));
    }

    /**
     * The recording's file: its only segment, or all of them joined into one once it is complete,
     * or one segment ({@code ?segment=n}); with HTTP range requests.
     */
    private void file(ServerRequest req, ServerResponse res) {
        RecordingRequest r = requireRecording(req);
        RecordingStatus s = recordings.status(r);
        if (s.segments().isEmpty()) {
            throw new Problem(Status.NOT_FOUND_404, "recording " + r.id() + " has no file yet");
        }
        String asked = req.query().first("segment").orElse(null);
        Path dir = storage.of(r.id());
        if (asked == null && s.segments().size() > 1) {
            if (!s.state().ended()) {
                throw new Problem(Status.CONFLICT_409, "recording " + r.id() + " has " + s.segments().size()
                        + " segments and is still running: ask for one with ?segment=1.." + s.segments().size()
                        + ", or for the whole once it is complete");
            }
            try {
                send(req, res, SegmentJoin.joined(dir, s.segments().stream().map(RecordingStatus.Segment::file).toList()));
            } catch (java.io.IOException e) {
                throw new Problem(Status.INTERNAL_SERVER_ERROR_500, e.getMessage());
            }
            return;
        }
        RecordingStatus.Segment segment;
        if (asked == null) {
            segment = s.segments().get(0);
        } else {
            int n;
            try {
                n = Integer.parseInt(asked);
            } catch (NumberFormatException e) {
                throw Problem.badRequest("segment must be a number");
            }
            segment = s.segments().stream().filter(g -> g.index() == n).findFirst()
                    .orElseThrow(() -> new Problem(Status.NOT_FOUND_404, "recording " + r.id() + " has no segment " + n));
        }
        Path path = dir.resolve(segment.file()).normalize();
        if (!path.startsWith(dir) || !Files.isRegularFile(path)) {
            throw new Problem(Status.NOT_FOUND_404, "the file of recording " + r.id() + " is not in the storage");
        }
        send(req, res, path);
    }

    private static void send(ServerRequest req, ServerResponse res, Path path) {
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            throw new Problem(Status.NOT_FOUND_404, "the file is gone");
        }
        ByteRange range;
        try {
            range = ByteRange.parse(req.headers().first(HeaderNames.RANGE).orElse(null), size);
        } catch (ByteRange.Unsatisfiable e) {
            res.status(Status.REQUESTED_RANGE_NOT_SATISFIABLE_416)
                    .header(HeaderNames.CONTENT_RANGE, "bytes */" + size)
                    .header(HeaderNames.CONTENT_TYPE, "application/problem+json");
            new Problem(Status.REQUESTED_RANGE_NOT_SATISFIABLE_416, "the file has " + size + " bytes").send(res);
            return;
        }
        long first = range == null ? 0 : range.first();
        long length = range == null ? size : range.length();
        res.header(HeaderNames.ACCEPT_RANGES, "bytes")
                .header(HeaderNames.CONTENT_TYPE, "video/webm")
                .header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + path.getFileName() + "\"")
                .contentLength(length);
        if (range != null) {
            res.status(Status.PARTIAL_CONTENT_206)
                    .header(HeaderNames.CONTENT_RANGE, "bytes " + range.first() + "-" + range.last() + "/" + size);
        }
        try (InputStream in = Files.newInputStream(path); OutputStream out = res.outputStream()) {
            in.skipNBytes(first);
            byte[] buf = new byte[64 * 1024];
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                left -= n;
            }
        } catch (IOException e) {
            // The client went away mid-download: nothing to tell it.
        }
    }

    private RecordingRequest requireRecording(ServerRequest req) {
        String id = req.path().pathParameters().get("recording");
        if (!Ids.valid(id)) {
            throw Problem.badRequest("recording id must match [A-Za-z0-9_-]{1,64}");
        }
        return recordings.request(id).filter(r -> r.kind() == OutputKind.RECORDING)
                .orElseThrow(() -> new Problem(Status.NOT_FOUND_404, "no recording " + id));
    }
}
