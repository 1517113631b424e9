package dev.mcu.signaling.session;

import dev.mcu.events.signal.ErrorCode;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Timer;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What an operator watches on a signaling node (Prometheus at /observe/metrics): joins and how
 * long they take (join message to {@code joined}, the worker round trip included), and the
 * errors sent to clients by code.
 */
final class SignalingMetrics {

    private final Counter joins;
    private final Timer joinTime;
    private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);

    SignalingMetrics() {
        MeterRegistry registry = Metrics.globalRegistry();
        joins = registry.getOrCreate(Counter.builder("mcu_signaling_joins")
                .description("joins answered with joined"));
        joinTime = registry.getOrCreate(Timer.builder("mcu_signaling_join")
                .description("from a join message to its joined reply"));
        for (ErrorCode code : ErrorCode.values()) {
            errors.put(code, registry.getOrCreate(Counter.builder("mcu_signaling_errors")
                    .tags(java.util.List.of(Metrics.tag("code", code.wire())))
                    .description("error replies sent to clients, by code")));
        }
    }

    void joined(long startedNanos) {
        joins.increment();
        joinTime.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    void error(ErrorCode code) {
        errors.get(code).increment();
    }
}
