package dev.rendezvous.metrics;

import dev.rendezvous.admission.RefusalCause;
import dev.rendezvous.admission.Refusals;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.LongAdder;

/** {@code rendezvous_refusals_total{cause}}: admission's refusals, one counter per cause bound at start. */
final class RefusalMeters implements Refusals {

    private final LongAdder[] byCause = new LongAdder[RefusalCause.values().length];

    RefusalMeters(MeterRegistry registry) {
        for (RefusalCause cause : RefusalCause.values()) {
            LongAdder count = new LongAdder();
            byCause[cause.ordinal()] = count;
            FunctionCounter.builder("rendezvous.refusals", count, LongAdder::sum)
                    .description("Connections and messages admission turned away, by cause")
                    .tag("cause", cause.label())
                    .register(registry);
        }
    }

    @Override
    public void refused(RefusalCause cause) {
        byCause[cause.ordinal()].increment();
    }
}
