package dev.mcu.signaling.session;

import dev.mcu.events.state.RoomDirectory;
import dev.mcu.events.state.RoomTable;
import dev.mcu.signaling.SignalingConfig;
import dev.mcu.signaling.ice.TurnCredentials;
import dev.mcu.signaling.relay.WorkerRelay;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every session of a node shares.
 *
 * @param turn TURN credentials to add to each {@code joined}, or null where no TURN server is configured
 */
record SessionContext(SignalingConfig config, Admission admission, RoomTable rooms, RoomDirectory directory,
                      WorkerRelay relay, Sessions sessions, ScheduledExecutorService timer, Executor pool,
                      SignalingMetrics metrics, TurnCredentials turn, ParticipantIds participantIds) {
}
