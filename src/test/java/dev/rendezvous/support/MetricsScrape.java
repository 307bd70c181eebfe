package dev.rendezvous.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of {@code /metrics} in Prometheus text format, parsed just enough to read samples by
 * name and labels. The label order of a query does not matter.
 */
public final class MetricsScrape {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String text;
    private final Map<String, Map<Map<String, String>, Double>> samples = new HashMap<>();
    private final Set<String> families = new TreeSet<>();

    private MetricsScrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ") || line.startsWith("# HELP ")) {
                families.add(line.split(" ")[2]);
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.matches()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.computeIfAbsent(sample.group(1), n -> new HashMap<>())
                    .put(labels, Double.parseDouble(sample.group(4)));
        }
    }

    /** {@code GET /metrics} on {@code port}, which must answer 200. */
    public static MetricsScrape of(int port) throws IOException {
        HttpProbe.Response response = HttpProbe.get(port, "/metrics");
        assertThat(response.status()).as("GET /metrics").isEqualTo(200);
        return new MetricsScrape(response.body());
    }

    public static MetricsScrape parse(String text) {
        return new MetricsScrape(text);
    }

    public String text() {
        return text;
    }

    /** The sample's value; fails when there is no sample with exactly these labels. */
    public double value(String name, String... labelPairs) {
        Map<String, String> wanted = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            wanted.put(labelPairs[i], labelPairs[i + 1]);
        }
        Map<Map<String, String>, Double> series = samples.getOrDefault(name, Map.of());
        assertThat(series).as("%s%s in the scrape", name, wanted).containsKey(wanted);
        return series.get(wanted);
    }

    /** The sum over every sample of {@code name}, whatever its labels. */
    public double sum(String name) {
        return samples.getOrDefault(name, Map.of()).values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Every sample name and every family name ({@code # TYPE}) in the scrape. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>(families);
        names.addAll(samples.keySet());
        return names;
    }

    /** Every label value in the scrape. */
    public Set<String> labelValues() {
        Set<String> values = new TreeSet<>();
        samples.values().forEach(series -> series.keySet().forEach(labels -> values.addAll(labels.values())));
        return values;
    }
}
