package dev.rendezvous.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateWindowTest {

    @Test
    void keepsEachSecondsIncreaseOldestFirst() {
        RateWindow window = new RateWindow(100);

        window.sample(103);
        window.sample(103);
        window.sample(110);

        assertThat(window.lastMinute()).containsExactly(3, 0, 7);
        assertThat(window.average()).isEqualTo(10 / 3.0);
    }

    @Test
    void forgetsWhatIsOlderThanAMinute() {
        RateWindow window = new RateWindow(0);
        long total = 0;
        for (int second = 1; second <= 75; second++) {
            total += second;
            window.sample(total);
        }

        long[] lastMinute = window.lastMinute();
        assertThat(lastMinute).hasSize(RateWindow.SECONDS);
        assertThat(lastMinute[0]).isEqualTo(16);
        assertThat(lastMinute[59]).isEqualTo(75);
        assertThat(window.average()).isEqualTo((16 + 75) / 2.0);
    }

    @Test
    void isEmptyBeforeTheFirstSample() {
        RateWindow window = new RateWindow(42);

        assertThat(window.lastMinute()).isEmpty();
        assertThat(window.average()).isZero();
    }
}
