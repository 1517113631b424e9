package dev.mcu.events.signal;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** An RTCIceServer as the browser's RTCConfiguration takes it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IceServer(List<String> urls, String username, String credential) {
}
