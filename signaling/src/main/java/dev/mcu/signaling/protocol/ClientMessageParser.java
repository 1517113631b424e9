package dev.mcu.signaling.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcu.events.Ids;
import dev.mcu.events.Json;
import dev.mcu.events.sdp.CandidateLine;
import dev.mcu.events.sdp.InvalidSdpException;
import dev.mcu.events.sdp.SdpOffer;
import dev.mcu.events.signal.View;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Turns one text frame into a validated {@link ClientMessage}, or a {@link ProtocolException}
 * naming the first thing wrong. Everything a client sends passes here before it goes anywhere.
 */
public final class ClientMessageParser {

    /** PROTOCOL.md: frames over 64 KiB are refused. */
    public static final int MAX_FRAME_BYTES = 64 * 1024;
    public static final int MAX_NAME_CHARS = 64;
    private static final int MAX_REQUEST_ID_CHARS = 64;
    private static final Set<String> LAYOUTS = Set.of("grid", "speaker", "presentation");

    private ClientMessageParser() {
    }

    public static ClientMessage parse(String text) {
        if (text.length() > MAX_FRAME_BYTES || text.getBytes(StandardCharsets.UTF_8).length > MAX_FRAME_BYTES) {
            throw ProtocolException.badRequest("frame is larger than 64 KiB", null);
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw ProtocolException.badRequest("frame is not JSON", null);
        }
        if (!(root instanceof ObjectNode o)) {
            throw ProtocolException.badRequest("frame must be a JSON object", null);
        }
        Fields f = new Fields(o, requestId(o));
        String type = f.requiredString("type");
        return switch (type) {
            case "join" -> new ClientMessage.Join(f.id(), f.requiredString("token"), name(f), view(f, "view"),
                    f.optionalId("room"));
            case "offer" -> new ClientMessage.Offer(f.id(), sdp(f));
            case "candidate" -> candidate(f);
            case "mute" -> mute(f);
            case "view" -> new ClientMessage.ChangeView(f.id(), requiredView(f));
            case "leave" -> new ClientMessage.Leave(f.id());
            case "ping" -> new ClientMessage.Ping(f.id());
            default -> throw ProtocolException.badRequest("unknown type: " + abbreviate(type), f.id());
        };
    }

    private static String requestId(ObjectNode o) {
        JsonNode id = o.get("id");
        if (id != null && id.isTextual() && id.asText().length() <= MAX_REQUEST_ID_CHARS) {
            return id.asText();
        }
        if (id != null && !id.isNull()) {
            throw ProtocolException.badRequest("id must be a string of at most 64 characters", null);
        }
        return null;
    }

    private static String name(Fields f) {
        String name = f.optionalString("name");
        if (name == null) {
            return null;
        }
        String clean = name.strip();
        if (clean.isEmpty() || clean.length() > MAX_NAME_CHARS || clean.chars().anyMatch(Character::isISOControl)) {
            throw ProtocolException.badRequest("name must be 1-64 printable characters", f.id());
        }
        return clean;
    }

    private static SdpOffer sdp(Fields f) {
        try {
            return SdpOffer.parse(f.requiredString("sdp"));
        } catch (InvalidSdpException e) {
            throw ProtocolException.badRequest("invalid sdp: " + e.getMessage(), f.id());
        }
    }

    private static ClientMessage candidate(Fields f) {
        if (!f.has("candidate")) {
            throw ProtocolException.badRequest("field candidate is required (null ends the candidates)", f.id());
        }
        String candidate = f.optionalString("candidate");
        String mid = f.optionalString("sdpMid");
        Integer index = f.optionalInt("sdpMLineIndex", 0, SdpOffer.MAX_LINES);
        if (candidate != null && !candidate.isEmpty()) {
            if (mid == null && index == null) {
                throw ProtocolException.badRequest("a candidate needs sdpMid or sdpMLineIndex", f.id());
            }
            try {
                CandidateLine.validate(mid, index == null ? 0 : index, candidate);
            } catch (InvalidSdpException e) {
                throw ProtocolException.badRequest("invalid candidate: " + e.getMessage(), f.id());
            }
        }
        return new ClientMessage.Candidate(f.id(), candidate == null || candidate.isEmpty() ? null : candidate,
                mid, index);
    }

    private static ClientMessage mute(Fields f) {
        Boolean audio = f.optionalBoolean("audio");
        Boolean video = f.optionalBoolean("video");
        if (audio == null && video == null) {
            throw ProtocolException.badRequest("mute needs audio or video (a boolean)", f.id());
        }
        return new ClientMessage.Mute(f.id(), audio, video);
    }

    private static View requiredView(Fields f) {
        View v = view(f, "view");
        if (v == null) {
            throw ProtocolException.badRequest("field view is required and must be an object", f.id());
        }
        return v;
    }

    private static View view(Fields parent, String field) {
        ObjectNode node = parent.optionalObject(field);
        if (node == null) {
            return null;
        }
        Fields f = new Fields(node, parent.id(), field + ".");
        String layout = f.optionalString("layout");
        if (layout != null && !LAYOUTS.contains(layout)) {
            throw ProtocolException.badRequest("view.layout must be grid, speaker or presentation", parent.id());
        }
        // Positive integers; the mixer clamps them to what the room allows (PROTOCOL.md).
        return new View(layout, f.optionalInt("maxWidth", 1, Integer.MAX_VALUE),
                f.optionalInt("maxHeight", 1, Integer.MAX_VALUE), f.optionalInt("maxFps", 1, Integer.MAX_VALUE),
                f.optionalInt("maxBitrateKbps", 1, Integer.MAX_VALUE), f.optionalBoolean("includeSelf"),
                f.optionalId("pin"));
    }

    static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** Typed access to an object's fields, with errors that name the field. */
    private record Fields(ObjectNode node, String id, String prefix) {

        Fields(ObjectNode node, String id) {
            this(node, id, "");
        }

        boolean has(String name) {
            return node.has(name);
        }

        String requiredString(String name) {
            String v = optionalString(name);
            if (v == null) {
                throw ProtocolException.badRequest("field " + prefix + name + " is required", id);
            }
            return v;
        }

        String optionalString(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                throw ProtocolException.badRequest("field " + prefix + name + " must be a string", id);
            }
            return v.asText();
        }

        String optionalId(String name) {
            String v = optionalString(name);
            if (v != null && !Ids.valid(v)) {
                throw ProtocolException.badRequest("field " + prefix + name + " must match [A-Za-z0-9_-]{1,64}", id);
            }
            return v;
        }

        Integer optionalInt(String name, int min, int max) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
                throw ProtocolException.badRequest("field " + prefix + name + " must be " + (max == Integer.MAX_VALUE
                        ? "a positive integer" : "an integer from " + min + " to " + max), id);
            }
            return v.asInt();
        }

        Boolean optionalBoolean(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isBoolean()) {
                throw ProtocolException.badRequest("field " + prefix + name + " must be a boolean", id);
            }
            return v.asBoolean();
        }

        ObjectNode optionalObject(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!(v instanceof ObjectNode o)) {
                throw ProtocolException.badRequest("field " + prefix + name + " must be an object", id);
            }
            return o;
        }
    }
}
