package dev.rendezvous.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScrapeFormatTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1|OPENMETRICS",
        "application/openmetrics-text|OPENMETRICS",
        "APPLICATION/OpenMetrics-Text; version=1.0.0|OPENMETRICS",
        "text/plain;version=0.0.4;q=1,application/openmetrics-text;q=0.5|TEXT",
        "application/openmetrics-text;q=0|TEXT",
        "application/openmetrics-text;q=nonsense|TEXT",
        "text/plain|TEXT",
        "*/*|TEXT",
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited|TEXT",
        "''|TEXT"})
    void choosesOpenMetricsOnlyWhenTheAcceptHeaderPrefersIt(String accept, ScrapeFormat expected) {
        assertThat(ScrapeFormat.forAccept(accept)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"TEXT,text/plain; version=0.0.4; charset=utf-8",
        "OPENMETRICS,application/openmetrics-text; version=1.0.0; charset=utf-8"})
    void namesTheContentTypeItIsWrittenIn(ScrapeFormat format, String contentType) {
        assertThat(format.contentType()).isEqualTo(contentType);
    }

    @org.junit.jupiter.api.Test
    void defaultsToTextWithoutAnAcceptHeader() {
        assertThat(ScrapeFormat.forAccept(null)).isEqualTo(ScrapeFormat.TEXT);
    }
}
