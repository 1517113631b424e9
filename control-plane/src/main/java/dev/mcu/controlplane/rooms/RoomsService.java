package dev.mcu.controlplane.rooms;

import dev.mcu.controlplane.http.AdminAuth;
import dev.mcu.controlplane.http.JsonBody;
import dev.mcu.controlplane.http.Problem;
import dev.mcu.controlplane.workers.WorkerRegistry;
import dev.mcu.events.Ids;
import dev.mcu.events.relay.WorkerCommand;
import dev.mcu.events.signal.Layout;
import dev.mcu.events.signal.Participant;
import dev.mcu.events.state.RoomRecord;
import dev.mcu.events.state.RoomTable;
import dev.mcu.events.state.VideoSettings;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin REST API of PROTOCOL.md section 2 under {@code /v1} (tokens are in TokenService). Every
 * route needs the admin key; every error is a problem+json with one status.
 */
public final class RoomsService implements HttpService {

    /** The route table, also what the OpenAPI document must describe (a test compares them). */
    public static final List<String> ROUTES = List.of(
            "POST /rooms", "GET /rooms", "GET /rooms/{room}", "PATCH /rooms/{room}", "DELETE /rooms/{room}",
            "GET /rooms/{room}/participants", "DELETE /rooms/{room}/participants/{participant}",
            "POST /rooms/{room}/participants/{participant}/mute", "GET /workers", "POST /workers/{worker}/drain");

    public static final int MAX_PARTICIPANTS_LIMIT = 100;
    private static final Set<String> LAYOUTS = Set.of("grid", "speaker", "presentation");

    private final RoomTable rooms;
    private final ParticipantTable participants;
    private final WorkerRegistry workers;
    private final AdminCommands commands;
    private final AdminAuth auth;
    private final Clock clock;
    private final int defaultMaxParticipants;
    private final RoomDeletion deletion;

    /** What else ends with a room: its recordings stop before its worker is told to close it. */
    public interface RoomDeletion {
        void deleted(String room, boolean hosted);
    }

    public RoomsService(RoomTable rooms, ParticipantTable participants, WorkerRegistry workers,
                        AdminCommands commands, AdminAuth auth, Clock clock,
                        int defaultMaxParticipants, RoomDeletion deletion) {
        this.rooms = rooms;
        this.participants = participants;
        this.workers = workers;
        this.commands = commands;
        this.auth = auth;
        this.clock = clock;
        this.defaultMaxParticipants = defaultMaxParticipants;
        this.deletion = deletion;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/rooms", auth.guarded(this::createRoom))
                .get("/rooms", auth.guarded(this::listRooms))
                .get("/rooms/{room}", auth.guarded(this::getRoom))
                .patch("/rooms/{room}", auth.guarded(this::updateRoom))
                .delete("/rooms/{room}", auth.guarded(this::deleteRoom))
                .get("/rooms/{room}/participants", auth.guarded(this::listParticipants))
                .delete("/rooms/{room}/participants/{participant}", auth.guarded(this::kick))
                .post("/rooms/{room}/participants/{participant}/mute", auth.guarded(this::mute))
                .get("/workers", auth.guarded(this::listWorkers))
                .post("/workers/{worker}/drain", auth.guarded(this::drain));
    }

    private void createRoom(ServerRequest req, ServerResponse res) {
        JsonBody body = JsonBody.read(req, Set.of("id", "name", "maxParticipants", "layout", "video"));
        String id = body.string("id", false, 64);
        if (id == null) {
            id = Ids.random("r");
        } else if (!Ids.valid(id)) {
            throw Problem.badRequest("id must match [A-Za-z0-9_-]{1,64}");
        }
        if (rooms.get(id).isPresent()) {
            throw new Problem(Status.CONFLICT_409, "room " + id + " exists");
        }
        String name = body.string("name", false, 128);
        Integer max = body.integer("maxParticipants", 1, MAX_PARTICIPANTS_LIMIT);
        String layout = layout(body);
        VideoSettings video = video(body);
        // Not placed yet: an empty room costs no worker anything; its first join places it.
        RoomRecord room = new RoomRecord(id, name == null ? id : name, max == null ? defaultMaxParticipants : max,
                layout == null ? "grid" : layout, video, null, clock.millis());
        rooms.put(room);
        Problem.json(res, Status.CREATED_201, room(room));
    }

    private void listRooms(ServerRequest req, ServerResponse res) {
        Problem.json(res, Status.OK_200, Map.of("rooms", rooms.all().stream()
                .sorted(java.util.Comparator.comparingLong(RoomRecord::createdAtMs)).map(this::room).toList()));
    }

    private void getRoom(ServerRequest req, ServerResponse res) {
        Problem.json(res, Status.OK_200, room(RoomLookup.require(req, rooms)));
    }

    private void updateRoom(ServerRequest req, ServerResponse res) {
        RoomRecord room = RoomLookup.require(req, rooms);
        JsonBody body = JsonBody.read(req, Set.of("name", "maxParticipants", "layout"));
        String name = body.string("name", false, 128);
        Integer max = body.integer("maxParticipants", 1, MAX_PARTICIPANTS_LIMIT);
        String layout = layout(body);
        RoomRecord updated = room.with(name, max, layout);
        rooms.put(updated);
        if (layout != null && updated.workerId() != null) {
            commands.send(updated.workerId(), room.id(), null, new WorkerCommand.SetLayout(Layout.fromWire(layout)));
        }
        Problem.json(res, Status.OK_200, room(updated));
    }

    private void deleteRoom(ServerRequest req, ServerResponse res) {
        RoomRecord room = RoomLookup.require(req, rooms);
        deletion.deleted(room.id(), room.workerId() != null);
        // Whatever the cluster's load: a room on no worker has nobody to tell, and nothing is placed.
        if (room.workerId() != null) {
            commands.send(room.workerId(), room.id(), null, new WorkerCommand.CloseRoom("deleted"));
        }
        rooms.delete(room.id());
        res.status(Status.NO_CONTENT_204).send();
    }

    private void listParticipants(ServerRequest req, ServerResponse res) {
        RoomRecord room = RoomLookup.require(req, rooms);
        Problem.json(res, Status.OK_200, Map.of("participants", participants.in(room.id())));
    }

    private void kick(ServerRequest req, ServerResponse res) {
        RoomRecord room = RoomLookup.require(req, rooms);
        Participant p = requireParticipant(req, room);
        commands.send(worker(room), room.id(), p.id(), new WorkerCommand.Kick("removed by an admin"));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void mute(ServerRequest req, ServerResponse res) {
        RoomRecord room = RoomLookup.require(req, rooms);
        Participant p = requireParticipant(req, room);
        JsonBody body = JsonBody.read(req, Set.of("audio", "video"));
        Boolean audio = body.bool("audio");
        Boolean video = body.bool("video");
        if (audio == null && video == null) {
            throw Problem.badRequest("give audio or video (a boolean)");
        }
        commands.send(worker(room), room.id(), p.id(), new WorkerCommand.Mute(audio, video));
        Problem.json(res, Status.OK_200, new Participant(p.id(), p.name(), audio != null ? audio : p.audioMuted(),
                video != null ? video : p.videoMuted(), p.joinedAtMs()));
    }

    private void listWorkers(ServerRequest req, ServerResponse res) {
        Problem.json(res, Status.OK_200, Map.of("workers", workers.all()));
    }

    private void drain(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("worker");
        if (!Ids.valid(id) || workers.get(id).isEmpty()) {
            throw new Problem(Status.NOT_FOUND_404, "no worker " + id);
        }
        commands.send(id, WorkerCommand.WORKER_SCOPE, null, new WorkerCommand.Drain());
        Problem.json(res, Status.ACCEPTED_202, workers.get(id).orElseThrow());
    }

    private Participant requireParticipant(ServerRequest req, RoomRecord room) {
        String id = req.path().pathParameters().get("participant");
        if (!Ids.valid(id)) {
            throw Problem.badRequest("participant id must match [A-Za-z0-9_-]{1,64}");
        }
        return participants.get(room.id(), id).orElseThrow(() ->
                new Problem(Status.NOT_FOUND_404, "no participant " + id + " in room " + room.id()));
    }

    /** The worker of a room with participants; a room on no worker has nobody to act on. */
    private String worker(RoomRecord room) {
        if (room.workerId() == null) {
            throw new Problem(Status.CONFLICT_409, "room " + room.id() + " is not live on any worker");
        }
        return room.workerId();
    }

    private static String layout(JsonBody body) {
        String layout = body.string("layout", false, 16);
        if (layout != null && !LAYOUTS.contains(layout)) {
            throw Problem.badRequest("layout must be grid, speaker or presentation");
        }
        return layout;
    }

    private static VideoSettings video(JsonBody body) {
        JsonBody video = body.object("video", Set.of("width", "height", "fps"));
        if (video == null) {
            return VideoSettings.DEFAULT;
        }
        // The smallest composite that still shows a labelled tile (the mixer's ViewSpec minimum).
        Integer w = video.integer("width", 160, 1920);
        Integer h = video.integer("height", 90, 1080);
        Integer fps = video.integer("fps", 1, 30);
        VideoSettings d = VideoSettings.DEFAULT;
        VideoSettings v = new VideoSettings(w == null ? d.width() : w, h == null ? d.height() : h,
                fps == null ? d.fps() : fps);
        if ((v.width() & 1) != 0 || (v.height() & 1) != 0) {
            throw Problem.badRequest("video width and height must be even");
        }
        return v;
    }

    private Map<String, Object> room(RoomRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("name", r.name());
        m.put("maxParticipants", r.maxParticipants());
        m.put("layout", r.layout());
        m.put("video", r.video());
        m.put("workerId", r.workerId());
        m.put("participantCount", participants.count(r.id()));
        m.put("createdAtMs", r.createdAtMs());
        return m;
    }
}
