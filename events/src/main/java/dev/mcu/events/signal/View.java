package dev.mcu.events.signal;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * PROTOCOL.md's {@code view} object. Every field is optional on the way in (null = not given); the
 * mixer answers with the effective view, every field set but {@code pin}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record View(String layout, Integer maxWidth, Integer maxHeight, Integer maxFps, Integer maxBitrateKbps,
                   Boolean includeSelf, String pin) {

    public static final View EMPTY = new View(null, null, null, null, null, null, null);
}
