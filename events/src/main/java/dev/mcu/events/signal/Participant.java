package dev.mcu.events.signal;

/** PROTOCOL.md's participant object. */
public record Participant(String id, String name, boolean audioMuted, boolean videoMuted, long joinedAtMs) {
}
