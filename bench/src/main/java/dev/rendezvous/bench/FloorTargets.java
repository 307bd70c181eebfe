package dev.rendezvous.bench;

import java.util.List;
import java.util.Locale;

/**
 * The table of the floor issue (13): each figure of Rendezvous against the C floor relay
 * ({@code ../shared/floor}) in the same run, with its target, either a ratio to the floor or,
 * for memory, an absolute bound. Printed by {@link Report} when one of the servers is the floor.
 */
final class FloorTargets {

    static final String FLOOR = "floor";

    /** One row: a figure of one scenario, and the most it may be (a ratio to the floor, or an absolute bound). */
    record Row(String name, String label, Figures.Figure figure, double bound, boolean absolute) {
    }

    static final List<Row> ROWS = List.of(
            new Row("server CPU per message at 5,000 msgs/s (µs)", "rate-5k", Figures.SERVER_CPU_PER_UNIT, 1.3, false),
            new Row("server CPU per message at 20,000 msgs/s (µs)", "rate-20k", Figures.SERVER_CPU_PER_UNIT, 1.3,
                    false),
            new Row("relay p99 at 5,000 msgs/s (µs)", "rate-5k", Figures.P99, 1.5, false),
            new Row("flood: server CPU per message (µs)", "flood", Figures.SERVER_CPU_PER_UNIT, 1.5, false),
            new Row("flood: throughput (msgs/s; server core % below)", "flood", Figures.THROUGHPUT, 0, false),
            new Row("flood: server core %", "flood", Figures.SERVER_CORE, 0, false),
            new Row("pingpong: server CPU per message (µs)", "pingpong", Figures.SERVER_CPU_PER_UNIT, 1.1, false),
            new Row("RSS growth per idle socket, 10,000 sockets (B)", "idle", Figures.RSS_AT_10K, 2500, true),
            new Row("server core % while 10,000 sockets connect at 2,000/s into a fresh node", "cold-10k",
                    Figures.SERVER_CORE, 3.0, false),
            new Row("reconnect storm: time to accept 10,000 sockets (s)", "storm-10k", Figures.ACCEPT_SECONDS, 0,
                    false),
            new Row("reconnect storm: server CPU per socket (µs)", "storm-10k", Figures.SERVER_CPU_PER_SOCKET, 0,
                    false));

    private FloorTargets() {
    }

    /** The table for {@code subject} against the floor; empty when no row has figures for both. */
    static String markdown(Report report, String subject) {
        StringBuilder md = new StringBuilder();
        for (Row row : ROWS) {
            Double a = Report.median(report.values(row.label(), subject, row.figure()));
            Double b = Report.median(report.values(row.label(), FLOOR, row.figure()));
            if (a == null && b == null) {
                continue;
            }
            String ratio = a == null || b == null || b == 0 ? "" : String.format(Locale.ROOT, "%.2f×", a / b);
            String target;
            String met;
            if (row.bound() == 0) {
                target = "";
                met = "";
            } else if (row.absolute()) {
                target = "≤ " + Report.fmt(row.bound());
                met = a == null ? "" : a <= row.bound() ? "met" : "**not met**";
            } else {
                target = String.format(Locale.ROOT, "≤ %.1f×", row.bound());
                met = a == null || b == null || b == 0 ? "" : a / b <= row.bound() ? "met" : "**not met**";
            }
            md.append("| ").append(row.name()).append(" | ").append(Report.fmt(a)).append(" | ")
                    .append(Report.fmt(b)).append(" | ").append(ratio).append(" | ").append(target).append(" | ")
                    .append(met).append(" |\n");
        }
        if (md.length() == 0) {
            return "";
        }
        return "### Against the floor's targets (issue 13), medians over rounds\n\n"
                + "| figure | " + subject + " | floor | ratio | target | |\n|---|---:|---:|---:|---:|---|\n" + md + "\n";
    }
}
