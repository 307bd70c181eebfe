package dev.rendezvous.bench;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The figures a report shows, each read out of one result line. */
final class Figures {

    /** One figure: its column name, how to read it, and whether more is better. */
    record Figure(String name, Function<Map<String, Object>, Double> read, boolean higherIsBetter) {
    }

    static final Figure THROUGHPUT = new Figure("throughput/s",
            r -> first(number(r, "msgsPerSec"), number(r, "handshakesPerSec")), true);
    static final Figure P50 = new Figure("p50 µs", r -> latency(r, "p50"), false);
    static final Figure P90 = new Figure("p90 µs", r -> latency(r, "p90"), false);
    static final Figure P99 = new Figure("p99 µs", r -> latency(r, "p99"), false);
    static final Figure P999 = new Figure("p99.9 µs", r -> latency(r, "p999"), false);
    static final Figure MAX = new Figure("max µs", r -> latency(r, "max"), false);
    static final Figure SERVER_CPU_PER_UNIT = new Figure("server CPU µs/msg (or /handshake)",
            r -> first(number(r, "serverCpuUsPerMsg"), number(r, "serverCpuUsPerHandshake")), false);
    static final Figure SERVER_CORE = new Figure("server core %", r -> percent(r, "serverCpuUtil"), false);
    static final Figure SERVER_KERNEL = new Figure("server CPU in kernel %", r -> percent(r, "serverKernelShare"), false);
    static final Figure GENERATOR_CORE = new Figure("generator core %", r -> percent(r, "generatorCpuUtil"), false);
    static final Figure SEND_LAG_P99 = new Figure("generator send lag p99 µs", r -> nested(r, "sendLagUs", "p99"), false);
    static final Figure RSS_PER_SOCKET = new Figure("RSS B/socket", r -> number(r, "rssBytesPerSocket"), false);
    static final Figure HEAP_PER_SOCKET = new Figure("live heap B/socket", r -> number(r, "heapBytesPerSocket"), false);
    static final Figure RSS_SLOPE = new Figure("RSS B/socket (slope)", r -> number(r, "rssBytesPerSocketSlope"), false);
    static final Figure HEAP_SLOPE = new Figure("heap B/socket (slope)", r -> number(r, "heapBytesPerSocketSlope"), false);
    static final Figure RSS_AT_1M = new Figure("RSS GiB at 1M (extrapolated)", r -> number(r, "rssGiBAt1M"), false);
    static final Figure HEAP_AT_1M = new Figure("heap GiB at 1M (extrapolated)", r -> number(r, "heapGiBAt1M"), false);
    static final Figure HEAP_PER_HELD = new Figure("live heap B/held msg", r -> number(r, "heapBytesPerHeld"), false);
    static final Figure SOCKETS = new Figure("sockets held", r -> number(r, "sockets"), true);
    static final Figure RSS_AT_10K = new Figure("RSS growth B/socket at 10k", r -> atCheckpoint(r, 10_000,
            "rssBytesPerSocket"), false);
    static final Figure HEAP_AT_10K = new Figure("live heap growth B/socket at 10k", r -> atCheckpoint(r, 10_000,
            "heapBytesPerSocket"), false);
    static final Figure ACCEPT_SECONDS = new Figure("time to accept all s", r -> number(r, "acceptSeconds"), false);
    static final Figure SOCKETS_PER_SEC = new Figure("sockets accepted/s", r -> number(r, "socketsPerSec"), true);
    static final Figure SERVER_CPU_PER_SOCKET = new Figure("server CPU µs/socket",
            r -> number(r, "serverCpuUsPerSocket"), false);
    static final Figure HANDSHAKE_P50 = new Figure("handshake p50 µs", r -> latency(r, "p50"), false);
    static final Figure HANDSHAKE_P99 = new Figure("handshake p99 µs", r -> latency(r, "p99"), false);
    static final Figure SERVER_START_CPU = new Figure("server CPU before the first connect s",
            r -> number(r, "serverCpuBeforeSeconds"), false);
    static final Figure SERVER_RSS_GROWTH = new Figure("server RSS growth MiB",
            r -> difference(r, "serverRssAfterKiB", "serverRssBeforeKiB", 1024), false);

    static final List<Figure> MESSAGING = List.of(THROUGHPUT, P50, P90, P99, P999, MAX, SERVER_CPU_PER_UNIT,
            SERVER_CORE, SERVER_KERNEL, GENERATOR_CORE, SEND_LAG_P99, HEAP_PER_HELD);
    static final List<Figure> IDLE = List.of(SOCKETS, RSS_AT_10K, HEAP_AT_10K, RSS_PER_SOCKET, HEAP_PER_SOCKET,
            RSS_SLOPE, HEAP_SLOPE, RSS_AT_1M, HEAP_AT_1M);
    static final List<Figure> COLD = List.of(SOCKETS, ACCEPT_SECONDS, SOCKETS_PER_SEC, SERVER_CORE,
            SERVER_CPU_PER_SOCKET, SERVER_KERNEL, HANDSHAKE_P50, HANDSHAKE_P99, SERVER_START_CPU, SERVER_RSS_GROWTH,
            GENERATOR_CORE);

    private Figures() {
    }

    static Double number(Map<String, Object> r, String key) {
        return r.get(key) instanceof Number n ? n.doubleValue() : null;
    }

    @SuppressWarnings("unchecked")
    static Double nested(Map<String, Object> r, String key, String inner) {
        return r.get(key) instanceof Map<?, ?> m ? number((Map<String, Object>) m, inner) : null;
    }

    /** A figure of the idle scenario's checkpoint at exactly {@code sockets}, when it has one. */
    @SuppressWarnings("unchecked")
    static Double atCheckpoint(Map<String, Object> r, int sockets, String key) {
        if (r.get("checkpoints") instanceof List<?> points) {
            for (Object p : points) {
                Map<String, Object> point = (Map<String, Object>) p;
                Double n = number(point, "sockets");
                if (n != null && n == sockets) {
                    return number(point, key);
                }
            }
        }
        return null;
    }

    private static Double difference(Map<String, Object> r, String a, String b, double divisor) {
        Double x = number(r, a);
        Double y = number(r, b);
        return x == null || y == null ? null : (x - y) / divisor;
    }

    static Double latency(Map<String, Object> r, String p) {
        return nested(r, "latencyUs", p);
    }

    private static Double percent(Map<String, Object> r, String key) {
        Double v = number(r, key);
        return v == null ? null : v * 100;
    }

    private static Double first(Double a, Double b) {
        return a != null ? a : b;
    }
}
