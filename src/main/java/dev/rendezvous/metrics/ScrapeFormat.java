package dev.rendezvous.metrics;

import java.util.Locale;

/**
 * The two exposition formats {@code /metrics} speaks: Prometheus text 0.0.4 by default, OpenMetrics
 * 1.0 when the {@code Accept} header prefers it (Prometheus itself asks for OpenMetrics first).
 * Protobuf is never chosen: the text formats carry everything these meters hold.
 */
public enum ScrapeFormat {
    TEXT("text/plain; version=0.0.4; charset=utf-8"),
    OPENMETRICS("application/openmetrics-text; version=1.0.0; charset=utf-8");

    private final String contentType;

    ScrapeFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** OpenMetrics when {@code accept} names it with a quality at least that of {@code text/plain}. */
    public static ScrapeFormat forAccept(String accept) {
        if (accept == null) {
            return TEXT;
        }
        double openMetrics = 0;
        double text = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            double quality = quality(parts);
            if (type.equals("application/openmetrics-text")) {
                openMetrics = Math.max(openMetrics, quality);
            } else if (type.equals("text/plain")) {
                text = Math.max(text, quality);
            }
        }
        return openMetrics > 0 && openMetrics >= text ? OPENMETRICS : TEXT;
    }

    private static double quality(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String parameter = parameters[i].trim();
            if (parameter.startsWith("q=")) {
                try {
                    return Double.parseDouble(parameter.substring(2));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
