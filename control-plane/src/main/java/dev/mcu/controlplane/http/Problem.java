package dev.mcu.controlplane.http;

import dev.mcu.events.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem: the one way the REST API reports errors. Thrown by handlers, written by
 * {@link #send}.
 */
public final class Problem extends RuntimeException {

    private final Status status;

    public Problem(Status status, String detail) {
        super(detail);
        this.status = status;
    }

    public static Problem badRequest(String detail) {
        return new Problem(Status.BAD_REQUEST_400, detail);
    }

    public Status status() {
        return status;
    }

    /** Answers with this status and a JSON body (the API's one way to send JSON). */
    public static void json(ServerResponse res, Status status, Object body) {
        res.status(status).header(HeaderNames.CONTENT_TYPE, "application/json").send(Json.write(body));
    }

    public void send(ServerResponse res) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", status.reasonPhrase());
        body.put("status", status.code());
        body.put("detail", getMessage());
        res.status(status)
                .header(HeaderNames.CONTENT_TYPE, "application/problem+json")
                .send(Json.write(body));
    }
}
