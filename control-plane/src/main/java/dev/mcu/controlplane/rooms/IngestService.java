package dev.mcu.controlplane.rooms;

import dev.mcu.controlplane.http.AdminAuth;
import dev.mcu.controlplane.http.JsonBody;
import dev.mcu.controlplane.http.Problem;
import dev.mcu.events.Ids;
import dev.mcu.events.relay.WorkerCommand;
import dev.mcu.events.signal.Participant;
import dev.mcu.events.state.RoomRecord;
import dev.mcu.events.state.RoomTable;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code POST /v1/rooms/{room}/ingest} (PROTOCOL.md section 2): a media file under the ingest
 * directory, or an http(s) URL, joins a live room as a participant, played in real time by the
 * room's worker; it leaves when the media ends, or on {@code DELETE} (an extension; kicking it
 * works too). The source is checked here, before any worker or FFmpeg sees it, and the ingest takes
 * one of the room's places ({@code maxParticipants}) as a participant does.
 */
public final class IngestService implements HttpService {

    public static final List<String> ROUTES = List.of("POST /rooms/{room}/ingest",
            "DELETE /rooms/{room}/ingest/{participant}");

    private final RoomTable rooms;
    private final ParticipantTable participants;
    private final AdminCommands commands;
    private final AdminAuth auth;
    private final Path directory;
    private final Clock clock;

    /** @param directory where ingested files must lie (relative sources are taken from it) */
    public IngestService(RoomTable rooms, ParticipantTable participants, AdminCommands commands, AdminAuth auth,
                         Path directory, Clock clock) {
        this.rooms = rooms;
        this.participants = participants;
        this.commands = commands;
        this.auth = auth;
        this.directory = directory.toAbsolutePath().normalize();
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/rooms/{room}/ingest", auth.guarded(this::start))
                .delete("/rooms/{room}/ingest/{participant}", auth.guarded(this::stop));
    }

    private void start(ServerRequest req, ServerResponse res) {
        RoomRecord room = requireLiveRoom(req);
        JsonBody body = JsonBody.read(req, Set.of("source", "name"));
        String source = source(body.string("source", true, 2048));
        // An ingest is a participant: it takes a place in the room like anyone (as the room events
        // last told it; two ingests started at once may both find the last place).
        if (participants.in(room.id()).size() >= room.maxParticipants()) {
            throw new Problem(Status.CONFLICT_409, "room " + room.id() + " has its maximum of "
                    + room.maxParticipants() + " participants");
        }
        String name = body.string("name", false, 64);
        String id = Ids.random("ing");
        commands.send(room.workerId(), room.id(), id, new WorkerCommand.Ingest(source, name == null ? "Ingest" : name));
        Problem.json(res, Status.CREATED_201, new Participant(id, name == null ? "Ingest" : name, false, false,
                clock.millis()));
    }

    private void stop(ServerRequest req, ServerResponse res) {
        RoomRecord room = requireLiveRoom(req);
        String id = req.path().pathParameters().get("participant");
        if (!Ids.valid(id) || !id.startsWith("ing_")) {
            throw new Problem(Status.NOT_FOUND_404, "no ingest " + id + " in room " + room.id());
        }
        commands.send(room.workerId(), room.id(), id, new WorkerCommand.Kick("ingest stopped"));
        res.status(Status.NO_CONTENT_204).send();
    }

    /**
     * What FFmpeg may open: an http(s) URL with a host, or a regular file inside the ingest
     * directory (after resolving links: nothing outside it is reachable), as {@code file:<path>}.
     */
    String source(String given) {
        if (given.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
            throw Problem.badRequest("source must not contain control characters");
        }
        String lower = given.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            try {
                URI uri = new URI(given);
                if (uri.getHost() == null || uri.getHost().isEmpty()) {
                    throw Problem.badRequest("source URL must name a host");
                }
            } catch (URISyntaxException e) {
                throw Problem.badRequest("source is not a URL: " + e.getReason());
            }
            return given;
        }
        if (given.contains("://") || given.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
            throw Problem.badRequest("source must be a file under the ingest directory or an http(s) URL");
        }
        Path path = directory.resolve(given).normalize();
        try {
            Path real = path.toRealPath();
            if (!real.startsWith(directory.toRealPath()) || !path.startsWith(directory)) {
                throw new Problem(Status.FORBIDDEN_403, "source must lie inside the ingest directory");
            }
            if (!Files.isRegularFile(real)) {
                throw new Problem(Status.NOT_FOUND_404, "source is not a file");
            }
            return "file:" + real;
        } catch (IOException e) {
            if (!path.startsWith(directory)) {
                throw new Problem(Status.FORBIDDEN_403, "source must lie inside the ingest directory");
            }
            throw new Problem(Status.NOT_FOUND_404, "no file " + given + " in the ingest directory");
        }
    }

    private RoomRecord requireLiveRoom(ServerRequest req) {
        RoomRecord room = RoomLookup.require(req, rooms);
        if (room.workerId() == null) {
            throw new Problem(Status.CONFLICT_409, "room " + room.id() + " is not live on any worker: an ingest joins a room"
                    + " that has participants");
        }
        return room;
    }
}
