package dev.mcu.mixer.room;

/** A participant as PROTOCOL.md's participant object describes it. */
public record ParticipantInfo(String id, String name, boolean audioMuted, boolean videoMuted, long joinedAtMs) {
}
