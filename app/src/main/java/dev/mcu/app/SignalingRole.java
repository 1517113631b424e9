package dev.mcu.app;

import dev.mcu.events.bus.KafkaBus;
import dev.mcu.events.state.RequestedPlacement;
import dev.mcu.events.state.RevokedTokens;
import dev.mcu.events.state.RoomTable;
import dev.mcu.events.state.WorkerTable;
import dev.mcu.signaling.SignalingService;
import dev.mcu.signaling.auth.TokenVerifier;
import dev.mcu.signaling.relay.WorkerRelay;
import dev.mcu.signaling.session.Sessions;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;

import java.time.Clock;

/**
 * The signaling role: its own view of rooms and workers from Kafka, placements requested from the
 * control plane, the relay to workers, the sessions, and the routes /ws and /.
 */
final class SignalingRole implements AutoCloseable {

    private final RoomTable rooms;
    private final WorkerTable workers;
    private final WorkerRelay relay;
    private final Sessions sessions;
    private final RevokedTokens revoked;

    SignalingRole(AppSettings settings, KafkaBus bus) {
        this.rooms = new RoomTable(bus);
        this.workers = new WorkerTable(bus, Clock.systemUTC());
        this.relay = new WorkerRelay(settings.signaling().nodeId(), bus);
        this.revoked = new RevokedTokens(bus, Clock.systemUTC());
        this.sessions = new Sessions(settings.signaling(), new TokenVerifier(settings.tokenSecret()), revoked, rooms,
                new RequestedPlacement(bus, rooms, workers, settings.signaling().maxParticipants()), relay, workers,
                settings.turn(), settings.tokenSecret());
    }

    Sessions sessions() {
        return sessions;
    }

    void routing(HttpRouting.Builder http, WsRouting.Builder ws) {
        SignalingService.routing(ws, sessions);
        SignalingService.client(http);
    }

    /** Sessions first (clients told to reconnect, participants leave), then the Kafka readers. */
    @Override
    public void close() {
        sessions.close();
        relay.close();
        workers.close();
        revoked.close();
        rooms.close();
    }
}
