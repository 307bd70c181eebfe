package dev.rendezvous.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What {@code /metrics} and {@code /stats} answer. Both are built on one thread of their own
 * ({@code rendezvous-admin}), never on an event loop: a scrape reads every meter and a listing of
 * sockets walks them all. The same thread samples the message and error counters once a second
 * into the last minute's per-second rates, so the hot path does nothing for {@code /stats}.
 */
public final class AdminConsole implements AutoCloseable {

    /** The most sockets {@code /stats} lists; beyond, it says {@code "openSocketsTruncated": true}. */
    public static final int MAX_LISTED_SOCKETS = 10_000;

    /** Who this node is, for {@code /stats}. */
    public record Identity(String version, String node, String mode) {
    }

    /** One open socket in the authorized view of {@code /stats}. */
    public record OpenSocket(String id, String address) {
    }

    /** A scrape's body and the format it is in. */
    public record Scrape(ScrapeFormat format, byte[] body) {
    }

    private final Identity identity;
    private final PrometheusMetrics metrics;
    private final IntSupplier heldIds;
    private final Supplier<CompletionStage<List<String>>> nodesSeen;
    private final long startedAt = System.nanoTime();
    private final JsonFactory json = new JsonFactory();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread admin = new Thread(task, "rendezvous-admin");
        admin.setDaemon(true);
        return admin;
    });
    private final RateWindow messages;
    private final RateWindow errors;

    /**
     * @param metrics   the node's meters, or null with {@code --metrics off} (no scrape, no rates)
     * @param nodesSeen in cluster mode, the nodes Redis knows; null on a single node
     */
    public AdminConsole(Identity identity, PrometheusMetrics metrics, IntSupplier heldIds,
            Supplier<CompletionStage<List<String>>> nodesSeen) {
        this.identity = identity;
        this.metrics = metrics;
        this.heldIds = heldIds;
        this.nodesSeen = nodesSeen;
        if (metrics == null) {
            messages = null;
            errors = null;
        } else {
            messages = new RateWindow(metrics.messagesTotal());
            errors = new RateWindow(metrics.errorsTotal());
            thread.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
        }
    }

    private void sample() {
        messages.sample(metrics.messagesTotal());
        errors.sample(metrics.errorsTotal());
    }

    public boolean metricsEnabled() {
        return metrics != null;
    }

    /** The scrape in the format {@code accept} asks for; only when {@link #metricsEnabled()}. */
    public CompletionStage<Scrape> scrape(String accept) {
        ScrapeFormat format = ScrapeFormat.forAccept(accept);
        return onAdminThread(() -> new Scrape(format,
                metrics.scrape(format.contentType()).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The {@code /stats} document. {@code sockets} lists the open sockets and is called only for a
     * caller that presented the admin token; null otherwise, and then no ID or address is written.
     */
    public CompletionStage<byte[]> stats(IntSupplier openSockets, Supplier<Iterable<OpenSocket>> sockets) {
        CompletionStage<List<String>> nodes = nodesSeen == null
                ? CompletableFuture.completedFuture(null)
                : onAdminThread(nodesSeen).thenCompose(seen -> seen).exceptionally(failure -> null);
        return nodes.thenCompose(seen -> onAdminThread(() -> render(openSockets.getAsInt(), seen, sockets)));
    }

    /** Runs {@code work} on the admin thread; the stage always completes, failed once the console is closed. */
    private <T> CompletableFuture<T> onAdminThread(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private byte[] render(int openSockets, List<String> nodes, Supplier<Iterable<OpenSocket>> sockets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator gen = json.createGenerator(out)) {
            gen.useDefaultPrettyPrinter();
            gen.writeStartObject();
            gen.writeStringField("version", identity.version());
            gen.writeStringField("node", identity.node());
            gen.writeStringField("mode", identity.mode());
            gen.writeNumberField("uptimeSeconds", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedAt));
            gen.writeNumberField("sockets", openSockets);
            gen.writeNumberField("ids", heldIds.getAsInt());
            writeRates(gen);
            if (nodesSeen != null) {
                gen.writeFieldName("nodes");
                writeStrings(gen, nodes);
            }
            if (sockets != null) {
                writeSockets(gen, sockets.get());
            }
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Per-second rates over the last minute; null with {@code --metrics off}, which counts nothing. */
    private void writeRates(JsonGenerator gen) throws IOException {
        if (messages == null) {
            gen.writeNullField("messagesPerSecond");
            gen.writeNullField("errorsPerSecond");
            return;
        }
        gen.writeNumberField("messagesPerSecond", round(messages.average()));
        gen.writeNumberField("errorsPerSecond", round(errors.average()));
        gen.writeObjectFieldStart("lastMinute");
        long[] messageSeries = messages.lastMinute();
        long[] errorSeries = errors.lastMinute();
        gen.writeFieldName("messages");
        gen.writeArray(messageSeries, 0, messageSeries.length);
        gen.writeFieldName("errors");
        gen.writeArray(errorSeries, 0, errorSeries.length);
        gen.writeEndObject();
    }

    private static double round(double perSecond) {
        return Math.round(perSecond * 100) / 100.0;
    }

    private static void writeStrings(JsonGenerator gen, List<String> values) throws IOException {
        if (values == null) {
            gen.writeNull();
            return;
        }
        gen.writeStartArray();
        for (String value : values) {
            gen.writeString(value);
        }
        gen.writeEndArray();
    }

    private static void writeSockets(JsonGenerator gen, Iterable<OpenSocket> sockets) throws IOException {
        gen.writeArrayFieldStart("openSockets");
        int listed = 0;
        boolean truncated = false;
        for (OpenSocket socket : sockets) {
            if (listed == MAX_LISTED_SOCKETS) {
                truncated = true;
                break;
            }
            gen.writeStartObject();
            gen.writeStringField("id", socket.id());
            gen.writeStringField("address", socket.address());
            gen.writeEndObject();
            listed++;
        }
        gen.writeEndArray();
        gen.writeBooleanField("openSocketsTruncated", truncated);
    }

    /** Stops sampling; work already queued still completes, so every request gets its answer. */
    @Override
    public void close() {
        thread.shutdown();
    }
}
