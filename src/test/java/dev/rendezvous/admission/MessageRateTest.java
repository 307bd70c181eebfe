package dev.rendezvous.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.config.LimitsConfig;
import org.junit.jupiter.api.Test;

/** The bucket arithmetic of the per-socket limit, on a clock the test moves. */
class MessageRateTest {

    private static final long SECOND = 1_000_000_000L;
    /** Any start: nanoTime values may be negative, and the arithmetic must not care. */
    private static final long T0 = -4_611_686_018_427_387_904L;

    private final MessageRate rate = MessageRate.of(new LimitsConfig(0, 0, 0, 0, 10, 5),
            new RefusalLog(Refusals.NONE));
    private long bucket = T0;
    private long refusals = T0;

    private boolean send(long now) {
        if (rate.fits(bucket, now)) {
            bucket = rate.take(bucket, now);
            return true;
        }
        refusals = rate.refuse(refusals, now);
        return false;
    }

    @Test
    void offWhenNoRateIsSet() {
        assertThat(MessageRate.of(LimitsConfig.DEFAULT, new RefusalLog(Refusals.NONE))).isNull();
    }

    @Test
    void aBurstFitsAtOnceThenOneMessagePerInterval() {
        for (int i = 0; i < 5; i++) {
            assertThat(send(T0)).as("message %d of the burst", i + 1).isTrue();
        }
        assertThat(send(T0)).isFalse();
        assertThat(send(T0 + SECOND / 10 - 1)).as("just before the next token").isFalse();
        assertThat(send(T0 + SECOND / 10)).isTrue();
        assertThat(send(T0 + SECOND / 10)).isFalse();
    }

    @Test
    void anIdleSocketGetsItsBurstBackButNoMore() {
        for (int i = 0; i < 5; i++) {
            send(T0);
        }
        long later = T0 + 3600 * SECOND;
        for (int i = 0; i < 5; i++) {
            assertThat(send(later)).isTrue();
        }
        assertThat(send(later)).isFalse();
    }

    @Test
    void keepsOnWhenRefusalsReachTheBurstWithinTenSeconds() {
        for (int i = 0; i < 5; i++) {
            send(T0);
        }
        for (int i = 1; i < 5; i++) {
            assertThat(send(T0)).isFalse();
            assertThat(rate.keepsOn(refusals, T0)).as("after %d refusals", i).isFalse();
        }
        assertThat(send(T0)).isFalse();
        assertThat(rate.keepsOn(refusals, T0)).as("after 5 refusals").isTrue();
    }

    @Test
    void refusalsSpreadOverMoreThanTenSecondsAreForgiven() {
        long now = T0;
        for (int i = 0; i < 5; i++) {
            send(now);
        }
        // One refusal every 2.1 s (the bucket forgets one per 2 s) never adds up to five.
        for (int i = 0; i < 50; i++) {
            now += 2_100_000_000L;
            while (send(now)) {
                // use up what refilled
            }
            assertThat(rate.keepsOn(refusals, now)).isFalse();
        }
    }
}
