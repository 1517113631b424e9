package dev.mcu.controlplane.recordings;

import dev.mcu.controlplane.http.AdminAuth;
import dev.mcu.controlplane.http.JsonBody;
import dev.mcu.controlplane.http.Problem;
import dev.mcu.controlplane.rooms.RoomLookup;
import dev.mcu.events.Ids;
import dev.mcu.events.state.OutputKind;
import dev.mcu.events.state.RecordingRequest;
import dev.mcu.events.state.RecordingStatus;
import dev.mcu.events.state.RoomRecord;
import dev.mcu.events.state.RoomTable;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live stream routes (PROTOCOL.md section 2): a room's composite and full mix sent to an RTMP
 * URL by the worker hosting the room. A stream mirrors a recording's states; it has no files.
 * Listing and reading one are extensions.
 */
public final class StreamsService implements HttpService {

    public static final List<String> ROUTES = List.of(
            "POST /rooms/{room}/streams", "GET /rooms/{room}/streams", "DELETE /rooms/{room}/streams/{stream}",
            "GET /streams/{stream}");

    /** Streams one room may send at once (one per service: a few platforms at most). */
    static final int PER_ROOM = 3;
    private static final int MAX_URL_CHARS = 1024;

    private final RoomTable rooms;
    private final RecordingRequests outputs;
    private final AdminAuth auth;
    private final Clock clock;

    public StreamsService(RoomTable rooms, RecordingRequests outputs, AdminAuth auth, Clock clock) {
        this.rooms = rooms;
        this.outputs = outputs;
        this.auth = auth;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/rooms/{room}/streams", auth.guarded(this::start))
                .get("/rooms/{room}/streams", auth.guarded(this::list))
                .delete("/rooms/{room}/streams/{stream}", auth.guarded(this::stop))
                .get("/streams/{stream}", auth.guarded(this::get));
    }

    private void start(ServerRequest req, ServerResponse res) {
        RoomRecord room = RoomLookup.require(req, rooms);
        Set<String> fields = new HashSet<>(OutputSpec.FIELDS);
        fields.add("url");
        JsonBody body = JsonBody.read(req, fields);
        String url = rtmpUrl(body.string("url", true, MAX_URL_CHARS));
        OutputSpec spec = OutputSpec.read(body, room);
        List<RecordingRequest> running = outputs.running(room.id(), OutputKind.STREAM);
        if (running.stream().anyMatch(r -> r.url().equals(url))) {
            throw new Problem(Status.CONFLICT_409, "room " + room.id() + " streams to that URL already");
        }
        if (running.size() >= PER_ROOM) {
            throw new Problem(Status.CONFLICT_409, "room " + room.id() + " sends its maximum of " + PER_ROOM + " streams");
        }
        RecordingRequest r = new RecordingRequest(Ids.random("str"), room.id(), OutputKind.STREAM, spec.layout(),
                spec.width(), spec.height(), spec.fps(), url, clock.millis(), null);
        RecordingStatus s = outputs.create(r);
        Problem.json(res, Status.CREATED_201, view(r, s));
    }

    /**
     * An {@code rtmp://} or {@code rtmps://} URL with a host, and nothing FFmpeg would read as
     * options or another protocol: it is handed to FFmpeg on the worker.
     */
    static String rtmpUrl(String url) {
        if (url.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw Problem.badRequest("url must not contain spaces or control characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw Problem.badRequest("url is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("rtmp") && !scheme.equals("rtmps")) {
            throw Problem.badRequest("url must be rtmp:// or rtmps://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw Problem.badRequest("url must name a host");
        }
        return url;
    }

    private void stop(ServerRequest req, ServerResponse res) {
        RoomRecord room = RoomLookup.require(req, rooms);
        RecordingRequest r = requireStream(req);
        if (!r.room().equals(room.id())) {
            throw new Problem(Status.NOT_FOUND_404, "no stream " + r.id() + " in room " + room.id());
        }
        RecordingStatus s = outputs.stop(r, room.workerId() != null);
        Problem.json(res, Status.OK_200, view(outputs.request(r.id()).orElse(r), s));
    }

    private void list(ServerRequest req, ServerResponse res) {
        RoomRecord room = RoomLookup.require(req, rooms);
        Problem.json(res, Status.OK_200, Map.of("streams", outputs.all().stream()
                .filter(r -> r.kind() == OutputKind.STREAM && r.room().equals(room.id()))
                .sorted(Comparator.comparingLong(RecordingRequest::requestedAtMs))
                .map(r -> view(r, outputs.status(r))).toList()));
    }

    private void get(ServerRequest req, ServerResponse res) {
        RecordingRequest r = requireStream(req);
        Problem.json(res, Status.OK_200, view(r, outputs.status(r)));
    }

    /** A recording object without files, with its URL shown up to the host (the path holds the stream key). */
    private static Map<String, Object> view(RecordingRequest r, RecordingStatus s) {
        Map<String, Object> m = RecordingView.of(r, s, null);
        m.remove("segments");
        m.remove("bytes");
        m.put("url", r.redactedUrl());
        return m;
    }

    private RecordingRequest requireStream(ServerRequest req) {
        String id = req.path().pathParameters().get("stream");
        if (!Ids.valid(id)) {
            throw Problem.badRequest("stream id must match [A-Za-z0-9_-]{1,64}");
        }
        return outputs.request(id).filter(r -> r.kind() == OutputKind.STREAM)
                .orElseThrow(() -> new Problem(Status.NOT_FOUND_404, "no stream " + id));
    }
}
