package dev.mcu.controlplane.rooms;

import dev.mcu.controlplane.http.Problem;
import dev.mcu.events.Ids;
import dev.mcu.events.state.RoomRecord;
import dev.mcu.events.state.RoomTable;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

/** The room a route's {@code {room}} names: 400 for an id that cannot be one, 404 for none. */
public final class RoomLookup {

    private RoomLookup() {
    }

    public static RoomRecord require(ServerRequest req, RoomTable rooms) {
        String id = req.path().pathParameters().get("room");
        if (!Ids.valid(id)) {
            throw Problem.badRequest("room id must match [A-Za-z0-9_-]{1,64}");
        }
        return rooms.get(id).orElseThrow(() -> new Problem(Status.NOT_FOUND_404, "no room " + id));
    }
}
