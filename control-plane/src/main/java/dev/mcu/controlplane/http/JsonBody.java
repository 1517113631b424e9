package dev.mcu.controlplane.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcu.events.Json;
import io.helidon.webserver.http.ServerRequest;

import java.util.Iterator;
import java.util.Set;

/** A request body as a JSON object with typed, validated fields; every mistake is a 400 problem. */
public final class JsonBody {

    private static final int MAX_BODY_CHARS = 16 * 1024;

    private final ObjectNode node;

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    /** Reads the body; only the named fields are allowed. */
    public static JsonBody read(ServerRequest req, Set<String> allowed) {
        String text = req.content().hasEntity() ? req.content().as(String.class) : "";
        if (text.length() > MAX_BODY_CHARS) {
            throw Problem.badRequest("body is larger than " + MAX_BODY_CHARS + " characters");
        }
        JsonNode root;
        try {
            root = text.isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw Problem.badRequest("body is not JSON");
        }
        if (!(root instanceof ObjectNode o)) {
            throw Problem.badRequest("body must be a JSON object");
        }
        checkFields(o, allowed, "");
        return new JsonBody(o);
    }

    private static void checkFields(ObjectNode o, Set<String> allowed, String prefix) {
        for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw Problem.badRequest("unknown field: " + prefix + name + " (allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    public String string(String name, boolean required, int maxChars) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                throw Problem.badRequest("field " + name + " is required");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > maxChars) {
            throw Problem.badRequest("field " + name + " must be a non-blank string of at most " + maxChars
                    + " characters");
        }
        return v.asText();
    }

    public Boolean bool(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw Problem.badRequest("field " + name + " must be a boolean");
        }
        return v.asBoolean();
    }

    /** A nested object with only the named fields allowed, or null when absent. */
    public JsonBody object(String name, Set<String> allowed) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!(v instanceof ObjectNode o)) {
            throw Problem.badRequest("field " + name + " must be an object");
        }
        checkFields(o, allowed, name + ".");
        return new JsonBody(o);
    }

    public Integer integer(String name, int min, int max) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            throw Problem.badRequest("field " + name + " must be an integer from " + min + " to " + max);
        }
        return v.asInt();
    }
}
