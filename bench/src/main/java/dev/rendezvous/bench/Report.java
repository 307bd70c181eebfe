package dev.rendezvous.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the generator's result lines (JSONL) into the run's JSON file, a Markdown table and an
 * SVG chart. With results from two servers (bench/compare) it shows each round's figure, the
 * median over rounds and the ratio of the first server to the second.
 *
 * <p>Usage: {@code Report results.jsonl out-prefix [title]} writes out-prefix.json/.md/.svg.
 */
public final class Report {

    private final List<Map<String, Object>> results;
    /** label → target → the results of every round. */
    private final Map<String, Map<String, List<Map<String, Object>>>> rows = new LinkedHashMap<>();
    private final List<String> targets = new ArrayList<>();

    Report(List<Map<String, Object>> results) {
        this.results = results;
        for (Map<String, Object> r : results) {
            String target = (String) r.get("target");
            if (!targets.contains(target)) {
                targets.add(target);
            }
            rows.computeIfAbsent((String) r.get("label"), k -> new LinkedHashMap<>())
                    .computeIfAbsent(target, k -> new ArrayList<>()).add(r);
        }
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: Report results.jsonl out-prefix [title]");
            System.exit(2);
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                results.add((Map<String, Object>) Json.read(line));
            }
        }
        String title = args.length > 2 ? args[2] : "Rendezvous benchmark";
        Report report = new Report(results);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("title", title);
        doc.put("host", hostDescription());
        doc.put("results", results);
        Files.writeString(Path.of(args[1] + ".json"), Json.write(doc) + "\n", StandardCharsets.UTF_8);
        String md = report.markdown(title);
        Files.writeString(Path.of(args[1] + ".md"), md, StandardCharsets.UTF_8);
        Files.writeString(Path.of(args[1] + ".svg"), new Chart(report.rows, report.targets).svg(title),
                StandardCharsets.UTF_8);
        System.out.print(md);
    }

    private static Map<String, Object> hostDescription() {
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("cores", Runtime.getRuntime().availableProcessors());
        host.put("java", System.getProperty("java.version"));
        host.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return host;
    }

    String markdown(String title) {
        StringBuilder md = new StringBuilder("## ").append(title).append("\n\n");
        boolean compare = targets.size() > 1;
        if (compare) {
            md.append("Each cell: median over rounds, then every round in brackets. Ratio = ")
                    .append(targets.get(0)).append(" / ").append(targets.get(1)).append(".\n\n");
        }
        table(md, Figures.MESSAGING, label -> !isIdle(label) && !isCold(label), compare);
        table(md, Figures.IDLE, this::isIdle, compare);
        table(md, Figures.COLD, this::isCold, compare);
        if (compare && targets.contains(FloorTargets.FLOOR)) {
            md.append(FloorTargets.markdown(this, targets.get(0)));
        }
        List<String> failed = new ArrayList<>();
        for (Map<String, Object> r : results) {
            if (!Boolean.TRUE.equals(r.get("ok"))) {
                failed.add(r.get("target") + " " + r.get("label") + " round " + r.get("round") + ": " + r.get("failure"));
            }
        }
        if (results.isEmpty()) {
            return md.append("No results: no scenario ran to completion.\n").toString();
        }
        md.append(failed.isEmpty() ? "Every run passed its sequence check (no loss, duplication or reordering).\n"
                : "**Failed runs:**\n\n- " + String.join("\n- ", failed) + "\n");
        List<String> limited = new ArrayList<>();
        for (Map<String, Object> r : results) {
            if (Boolean.TRUE.equals(r.get("generatorLimited"))) {
                limited.add(r.get("target") + " " + r.get("label") + " round " + r.get("round"));
            }
        }
        if (!limited.isEmpty()) {
            md.append("\nGenerator-limited (generator core > 90% busy, so the server was not the bottleneck): ")
                    .append(String.join(", ", limited)).append(".\n");
        }
        return md.toString();
    }

    private boolean isIdle(String label) {
        return scenarioOf(label).equals("idle");
    }

    private boolean isCold(String label) {
        return scenarioOf(label).equals("coldstart");
    }

    private Object scenarioOf(String label) {
        return rows.get(label).values().iterator().next().get(0).get("scenario");
    }

    private void table(StringBuilder md, List<Figures.Figure> figures, java.util.function.Predicate<String> include,
            boolean compare) {
        List<String> labels = rows.keySet().stream().filter(include).toList();
        if (labels.isEmpty()) {
            return;
        }
        if (compare) {
            md.append("| scenario | figure | ").append(String.join(" | ", targets)).append(" | ratio |\n");
            md.append("|---|---|").append("---:|".repeat(targets.size())).append("---:|\n");
            for (String label : labels) {
                for (Figures.Figure f : figures) {
                    List<Double> medians = new ArrayList<>();
                    StringBuilder cells = new StringBuilder();
                    for (String target : targets) {
                        List<Double> values = values(label, target, f);
                        Double median = median(values);
                        medians.add(median);
                        cells.append(" ").append(fmt(median));
                        if (values.size() > 1) {
                            cells.append(" [").append(String.join(", ", values.stream().map(Report::fmt).toList()))
                                    .append("]");
                        }
                        cells.append(" |");
                    }
                    if (medians.stream().allMatch(m -> m == null)) {
                        continue;
                    }
                    Double a = medians.get(0);
                    Double b = medians.get(1);
                    String ratio = a == null || b == null || b == 0 ? "" : String.format(Locale.ROOT, "%.2f×", a / b);
                    md.append("| ").append(label).append(" | ").append(f.name()).append(" |").append(cells)
                            .append(" ").append(ratio).append(" |\n");
                }
            }
        } else {
            md.append("| scenario | ").append(String.join(" | ", figures.stream().map(Figures.Figure::name).toList()))
                    .append(" | check |\n");
            md.append("|---|").append("---:|".repeat(figures.size())).append("---|\n");
            for (String label : labels) {
                md.append("| ").append(label).append(" |");
                for (Figures.Figure f : figures) {
                    md.append(" ").append(fmt(median(values(label, targets.get(0), f)))).append(" |");
                }
                boolean ok = rows.get(label).get(targets.get(0)).stream().allMatch(r -> Boolean.TRUE.equals(r.get("ok")));
                md.append(ok ? " ok |\n" : " **FAILED** |\n");
            }
        }
        md.append("\n");
    }

    List<Double> values(String label, String target, Figures.Figure f) {
        List<Double> values = new ArrayList<>();
        for (Map<String, Object> r : rows.getOrDefault(label, Map.of()).getOrDefault(target, List.of())) {
            Double v = f.read().apply(r);
            if (v != null) {
                values.add(v);
            }
        }
        return values;
    }

    static Double median(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static String fmt(Double v) {
        if (v == null) {
            return "–";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
