package dev.rendezvous.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The load generator: runs one scenario against a running server, prints one JSON line of figures
 * and appends it to {@code --out}. Exit status 1 when the scenario failed (including any lost,
 * duplicated or reordered message), 2 on bad arguments.
 */
@Command(name = "rendezvous-bench", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "WebSocket signaling load generator (loopback only).")
public final class LoadGenerator implements Callable<Integer> {

    @Parameters(index = "0", description = "idle | pingpong | rate | flood | connect | coldstart")
    String scenario;

    @Option(names = "--protocol", defaultValue = "rendezvous", description = "rendezvous | peerjs")
    String protocol;

    @Option(names = "--target", description = "Label for the server under test (default: the protocol).")
    String target;

    @Option(names = "--url", required = true, description = "Server base URL for senders, e.g. ws://127.0.0.1:8080")
    URI url;

    @Option(names = "--recv-url", description = "Server base URL for receivers (default: --url).")
    URI recvUrl;

    @Option(names = "--server-pid", required = true, split = ",",
            description = "Server process id(s) whose CPU and memory are measured.")
    List<Long> serverPids;

    @Option(names = "--pairs", defaultValue = "100") int pairs;
    @Option(names = "--rate", defaultValue = "20000", description = "Aggregate msgs/s for 'rate'.") int rate;
    @Option(names = "--size", defaultValue = "256", description = "Bytes per sent message.") int size;
    @Option(names = "--warmup", defaultValue = "5", description = "Seconds before the measured window.")
    double warmup;
    @Option(names = "--duration", defaultValue = "10", description = "Seconds of the measured window.")
    double duration;
    @Option(names = "--window", defaultValue = "64", description = "Flood: messages in flight per pair.") int window;
    @Option(names = "--sockets", defaultValue = "19000", description = "Idle, coldstart: sockets to open.") int sockets;
    @Option(names = "--checkpoints", defaultValue = "5000,10000,19000", split = ",",
            description = "Idle: socket counts at which memory is measured.")
    List<Integer> checkpoints;
    @Option(names = "--open-rate", defaultValue = "2000", description = "Idle, coldstart: new sockets per second (coldstart: 0 = as fast as possible).") int openRate;
    @Option(names = "--hold", defaultValue = "0",
            description = "Idle: seconds to keep the sockets open after the last checkpoint (for profiling).")
    double hold;
    @Option(names = "--concurrency", defaultValue = "32", description = "Connect, coldstart: handshakes in flight.")
    int concurrency;
    @Option(names = "--sources", defaultValue = "16", description = "Loopback source addresses 127.0.0.2...")
    int sources;
    @Option(names = "--busy-poll", description = "Spin the generator's event loop (epoll) instead of sleeping: "
            + "sends leave on time and replies are read at once, at the cost of the generator's whole core.")
    boolean busyPoll;

    @Option(names = "--tls-trust", description = "PEM certificate the wss:// clients trust (the server's own).")
    Path tlsTrust;

    @Option(names = "--out", description = "Append the result line to this JSONL file.") Path out;
    @Option(names = "--label", description = "Row name in reports (default: the scenario).") String label;
    @Option(names = "--round", defaultValue = "1", description = "Round number, for alternating comparisons.")
    int round;

    @Override
    public Integer call() throws Exception {
        Protocol proto = Protocol.named(protocol);
        Settings settings = new Settings(scenario, target == null ? proto.name() : target, proto, url,
                recvUrl == null ? url : recvUrl, serverPids, pairs, rate, size, warmup, duration, window, sockets,
                checkpoints, openRate, hold, concurrency, sources, busyPoll, tlsTrust);
        Loopback.require(url.getHost());
        Loopback.require(settings.receiverUrl().getHost());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("scenario", scenario);
        result.put("target", settings.target());
        result.put("protocol", proto.name());
        result.put("label", label == null ? scenario : label);
        result.put("round", round);
        try {
            result.putAll(Scenario.named(scenario).run(settings));
        } catch (Exception e) {
            result.put("ok", false);
            result.put("failure", e.toString());
        }
        String line = Json.write(result);
        System.out.println(line);
        if (out != null) {
            Files.writeString(out, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        return Boolean.TRUE.equals(result.get("ok")) ? 0 : 1;
    }

    public static void main(String[] args) throws IOException {
        int exit = new CommandLine(new LoadGenerator()).execute(args);
        System.exit(exit);
    }

    static List<String> sourceList(int count) {
        return new ArrayList<>(Loopback.sources(count));
    }
}
