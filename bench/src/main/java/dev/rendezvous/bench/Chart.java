package dev.rendezvous.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained SVG of the messaging scenarios (not the cold start's handshakes): throughput as bars and latency percentiles as
 * dots, both on log scales because the scenarios span four orders of magnitude. One row per
 * scenario and server; the value drawn is the median over rounds.
 */
final class Chart {

    private static final String[] TARGET_COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
    private static final String[] PERCENTILE_COLOURS = {"#2ca02c", "#bcbd22", "#ff7f0e", "#d62728", "#7f7f7f"};
    private static final List<Figures.Figure> PERCENTILES = List.of(Figures.P50, Figures.P90, Figures.P99,
            Figures.P999, Figures.MAX);
    private static final int WIDTH = 960;
    private static final int LEFT = 260;
    private static final int RIGHT = 40;
    private static final int ROW = 22;

    private record Row(String label, String target, int targetIndex, Map<String, Object> sample, List<Double> values) {
    }

    private final Map<String, Map<String, List<Map<String, Object>>>> rows;
    private final List<String> targets;

    Chart(Map<String, Map<String, List<Map<String, Object>>>> rows, List<String> targets) {
        this.rows = rows;
        this.targets = targets;
    }

    String svg(String title) {
        List<Row> throughput = collect(List.of(Figures.THROUGHPUT));
        List<Row> latency = collect(PERCENTILES);
        int height = 60 + panelHeight(throughput) + panelHeight(latency) + 40;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">\n", WIDTH, height));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(s, 20, 24, esc(title), "font-size=\"16\" font-weight=\"bold\"");
        int y = 50;
        y = throughputPanel(s, throughput, y);
        latencyPanel(s, latency, y + 20);
        s.append("</svg>\n");
        return s.toString();
    }

    private List<Row> collect(List<Figures.Figure> figures) {
        List<Row> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<Map<String, Object>>>> label : rows.entrySet()) {
            for (Map.Entry<String, List<Map<String, Object>>> target : label.getValue().entrySet()) {
                if ("coldstart".equals(target.getValue().get(0).get("scenario"))) {
                    // Its latencies are handshake times, not relayed messages: they stay in the tables.
                    continue;
                }
                List<Double> values = new ArrayList<>();
                boolean any = false;
                for (Figures.Figure f : figures) {
                    List<Double> rounds = new ArrayList<>();
                    for (Map<String, Object> r : target.getValue()) {
                        Double v = f.read().apply(r);
                        if (v != null) {
                            rounds.add(v);
                        }
                    }
                    Double m = Report.median(rounds);
                    values.add(m);
                    any |= m != null;
                }
                if (any) {
                    out.add(new Row(label.getKey(), target.getKey(), targets.indexOf(target.getKey()),
                            target.getValue().get(0), values));
                }
            }
        }
        return out;
    }

    private static int panelHeight(List<Row> rows) {
        return rows.isEmpty() ? 0 : 60 + rows.size() * ROW;
    }

    private int throughputPanel(StringBuilder s, List<Row> data, int top) {
        if (data.isEmpty()) {
            return top;
        }
        text(s, 20, top + 14, "Throughput (msgs/s; handshakes/s for connect), log scale", "font-weight=\"bold\"");
        double max = data.stream().mapToDouble(r -> r.values().get(0)).max().orElse(1);
        LogAxis axis = new LogAxis(100, Math.max(1000, max * 1.2));
        int y = top + 30;
        axis.draw(s, y, y + data.size() * ROW);
        for (Row r : data) {
            double v = r.values().get(0);
            text(s, LEFT - 8, y + 15, esc(r.label() + " · " + r.target()), "text-anchor=\"end\"");
            int w = (int) Math.max(1, axis.x(v) - LEFT);
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n",
                    LEFT, y + 4, w, ROW - 8, TARGET_COLOURS[r.targetIndex() % TARGET_COLOURS.length]));
            text(s, LEFT + w + 4, y + 15, Report.fmt(v), "");
            y += ROW;
        }
        return y + 30;
    }

    private void latencyPanel(StringBuilder s, List<Row> data, int top) {
        if (data.isEmpty()) {
            return;
        }
        text(s, 20, top + 14, "Latency, µs, log scale:", "font-weight=\"bold\"");
        String[] names = {"p50", "p90", "p99", "p99.9", "max"};
        for (int i = 0; i < names.length; i++) {
            int x = 200 + i * 70;
            s.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"5\" fill=\"%s\"/>\n", x, top + 10,
                    PERCENTILE_COLOURS[i]));
            text(s, x + 8, top + 14, names[i], "");
        }
        double max = data.stream().flatMap(r -> r.values().stream()).filter(v -> v != null)
                .mapToDouble(Double::doubleValue).max().orElse(1000);
        LogAxis axis = new LogAxis(10, Math.max(1000, max * 1.2));
        int y = top + 30;
        axis.draw(s, y, y + data.size() * ROW);
        for (Row r : data) {
            text(s, LEFT - 8, y + 15, esc(r.label() + " · " + r.target()), "text-anchor=\"end\"");
            Double lo = r.values().get(0);
            Double hi = r.values().get(r.values().size() - 1);
            if (lo != null && hi != null) {
                s.append(String.format(Locale.ROOT,
                        "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>\n",
                        axis.x(lo), y + 11, axis.x(hi), y + 11,
                        TARGET_COLOURS[r.targetIndex() % TARGET_COLOURS.length]));
            }
            for (int i = 0; i < r.values().size(); i++) {
                Double v = r.values().get(i);
                if (v != null) {
                    s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%d\" r=\"5\" fill=\"%s\"/>\n",
                            axis.x(v), y + 11, PERCENTILE_COLOURS[i]));
                }
            }
            y += ROW;
        }
    }

    private static final class LogAxis {
        private final double lo;
        private final double hi;

        LogAxis(double lo, double hi) {
            this.lo = Math.log10(lo);
            this.hi = Math.log10(hi);
        }

        double x(double value) {
            double v = Math.log10(Math.max(value, Math.pow(10, lo)));
            return LEFT + (v - lo) / (hi - lo) * (WIDTH - LEFT - RIGHT);
        }

        void draw(StringBuilder s, int top, int bottom) {
            for (int e = (int) Math.ceil(lo); e <= hi; e++) {
                double x = x(Math.pow(10, e));
                s.append(String.format(Locale.ROOT,
                        "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>\n", x, top, x, bottom));
                text(s, (int) x, bottom + 14, label(e), "text-anchor=\"middle\" fill=\"#555\"");
            }
        }

        private static String label(int exponent) {
            String[] names = {"1", "10", "100", "1k", "10k", "100k", "1M", "10M"};
            return exponent >= 0 && exponent < names.length ? names[exponent] : "1e" + exponent;
        }
    }

    private static void text(StringBuilder s, int x, int y, String content, String attrs) {
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" %s>%s</text>\n", x, y, attrs, content));
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
