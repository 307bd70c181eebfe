package dev.rendezvous.admission;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.rendezvous.support.CapturedLog;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RefusalLogTest {

    private static final long SECOND = 1_000_000_000L;
    private static final ClientAddress ALICE = ClientAddress.parse("192.0.2.1");
    private static final ClientAddress BOB = ClientAddress.parse("192.0.2.2");

    private final CapturedLog captured = new CapturedLog(RefusalLog.class, Level.INFO);
    private final Map<RefusalCause, Integer> counted = new EnumMap<>(RefusalCause.class);
    private long now = 7;
    private final RefusalLog log = new RefusalLog(cause -> counted.merge(cause, 1, Integer::sum), () -> now);

    @AfterEach
    void stopCapturing() {
        captured.close();
    }

    @Test
    void countsEveryRefusalAndLogsOneLinePerCauseAndClientAMinute() {
        for (int i = 0; i < 100; i++) {
            log.refused(RefusalCause.ORIGIN, ALICE, "origin not allowed: https://evil.example");
            log.refused(RefusalCause.HANDSHAKE_RATE, ALICE, "over the rate");
            log.refused(RefusalCause.ORIGIN, BOB, "origin not allowed: https://evil.example");
        }
        assertThat(counted).containsEntry(RefusalCause.ORIGIN, 200).containsEntry(RefusalCause.HANDSHAKE_RATE, 100);
        assertThat(captured.messages()).containsExactly(
                "refused origin from 192.0.2.1: origin not allowed: https://evil.example",
                "refused handshake-rate from 192.0.2.1: over the rate",
                "refused origin from 192.0.2.2: origin not allowed: https://evil.example");
        assertThat(captured.events()).extracting(ILoggingEvent::getLevel).containsOnly(Level.INFO);
    }

    @Test
    void theNextLineAMinuteLaterSaysHowManyWereNotLogged() {
        for (int i = 0; i < 10; i++) {
            log.refused(RefusalCause.SERVER_FULL, ALICE, "full");
            now += SECOND;
        }
        now += 50 * SECOND;
        log.refused(RefusalCause.SERVER_FULL, ALICE, "full");
        assertThat(captured.messages()).containsExactly("refused server-full from 192.0.2.1: full",
                "refused server-full from 192.0.2.1: full (9 more like it since the last such line not logged)");
    }

    @Test
    void anIpv6ClientIsThrottledAsItsSlash64() {
        for (int i = 1; i <= 50; i++) {
            log.refused(RefusalCause.ORIGIN, ClientAddress.parse("2001:db8:1:2::" + Integer.toHexString(i)), "x");
        }
        assertThat(captured.messages()).containsExactly("refused origin from 2001:db8:1:2::1: x");
    }

    @Test
    void remembersABoundedNumberOfClientsAndSumsTheRestOnceAMinute() {
        int clients = RefusalLog.TRACKED + 500;
        for (int i = 0; i < clients; i++) {
            log.refused(RefusalCause.ORIGIN, ClientAddress.of(new byte[] {10, 0, (byte) (i >> 8), (byte) i}), "x");
        }
        assertThat(captured.messages()).hasSize(RefusalLog.TRACKED);

        now += 61 * SECOND;
        log.refused(RefusalCause.ORIGIN, ALICE, "x");
        assertThat(captured.messages()).hasSize(RefusalLog.TRACKED + 1);
        assertThat(captured.messages().get(RefusalLog.TRACKED)).startsWith("500 refusals not logged since the last");

        // The tracked pairs went quiet a minute ago: forgotten now, which makes room for alice.
        now += 60 * SECOND;
        log.refused(RefusalCause.ORIGIN, ALICE, "x");
        assertThat(captured.messages().subList(RefusalLog.TRACKED + 1, captured.messages().size())).satisfiesExactly(
                line -> assertThat(line).startsWith("1 refusals not logged since the last"),
                line -> assertThat(line).isEqualTo("refused origin from 192.0.2.1: x"));
    }

    @Test
    void namesThePeerOfARefusedMessage() {
        log.refused(RefusalCause.MESSAGE_RATE, ALICE, new dev.rendezvous.signaling.PeerId("alice"), "over 50/s");
        assertThat(captured.messages()).containsExactly("refused message-rate from 192.0.2.1 peer=alice: over 50/s");
    }
}
