package dev.mcu.events.relay;

import dev.mcu.events.signal.ServerMessage;

/**
 * A message for one client session, on its signaling node's reply topic (keyed by session).
 *
 * @param requestId the {@code id} of the client message this answers, or null for events
 */
public record SessionMessage(String session, String requestId, ServerMessage message) {
}
