package dev.rendezvous.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.admission.GateVerdict.Admitted;
import dev.rendezvous.admission.GateVerdict.Refused;
import dev.rendezvous.config.AccessConfig;
import dev.rendezvous.config.CidrRange;
import dev.rendezvous.config.LimitsConfig;
import dev.rendezvous.config.OriginPattern;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The gate's decisions on a clock the test moves; the transport's part is in the socket tests. */
class ConnectionGateTest {

    private static final long SECOND = 1_000_000_000L;
    private static final InetAddress PROXY = address("10.0.0.2");
    private static final InetAddress ALICE = address("192.0.2.1");

    private long now = 1;
    private final List<RefusalCause> refusals = new ArrayList<>();

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private ConnectionGate gate(List<String> origins, List<String> proxies, int max, LimitsConfig limits) {
        AccessConfig access = new AccessConfig(origins.stream().map(OriginPattern::parse).toList(),
                proxies.stream().map(CidrRange::parse).toList(), limits);
        return new ConnectionGate(access, max, refusals::add, () -> now);
    }

    private static Function<String, List<String>> headers(String... nameValues) {
        Map<String, List<String>> map = new HashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            map.computeIfAbsent(nameValues[i], k -> new ArrayList<>()).add(nameValues[i + 1]);
        }
        return name -> map.getOrDefault(name, List.of());
    }

    @Test
    void refusesAForeignOriginWith403AndNoRetryAfter() {
        ConnectionGate gate = gate(List.of("https://app.example.com"), List.of(), 10, LimitsConfig.DEFAULT);
        GateVerdict verdict = gate.admit(ALICE, headers("Origin", "https://evil.example"));
        assertThat(verdict).isEqualTo(new Refused(RefusalCause.ORIGIN, 403, "origin not allowed", 0));
        assertThat(refusals).containsExactly(RefusalCause.ORIGIN);
        assertThat(gate.openConnections()).isZero();
        assertThat(gate.admit(ALICE, headers("Origin", "https://app.example.com"))).isInstanceOf(Admitted.class);
        assertThat(gate.admit(ALICE, headers())).as("no Origin: not a browser").isInstanceOf(Admitted.class);
    }

    @Test
    void checksTheOriginOfTheOldDraftsToo() {
        ConnectionGate gate = gate(List.of("https://app.example.com"), List.of(), 10, LimitsConfig.DEFAULT);
        assertThat(gate.admit(ALICE, headers("Sec-WebSocket-Origin", "https://evil.example")))
                .isInstanceOf(Refused.class);
        assertThat(gate.admit(ALICE, headers("Origin", "https://app.example.com",
                "Sec-WebSocket-Origin", "https://evil.example"))).isInstanceOf(Refused.class);
    }

    @Test
    void refusesOverTheNodeLimitWith503UntilASocketIsReleased() {
        ConnectionGate gate = gate(List.of("*"), List.of(), 2, LimitsConfig.DEFAULT);
        assertThat(gate.admit(ALICE, headers())).isSameAs(Admitted.DIRECT);
        assertThat(gate.admit(ALICE, headers())).isSameAs(Admitted.DIRECT);
        assertThat(gate.admit(ALICE, headers())).isEqualTo(new Refused(RefusalCause.SERVER_FULL, 503, "server full",
                ConnectionGate.RETRY_AFTER_SECONDS));
        gate.release(ALICE, null);
        assertThat(gate.admit(ALICE, headers())).isInstanceOf(Admitted.class);
        assertThat(gate.openConnections()).isEqualTo(2);
    }

    @Test
    void aRefusalPerClientGivesTheNodeSlotBack() {
        ConnectionGate gate = gate(List.of("*"), List.of(), 100, new LimitsConfig(0, 1, 0, 0, 0, 0));
        gate.admit(ALICE, headers());
        assertThat(gate.admit(ALICE, headers())).isEqualTo(new Refused(RefusalCause.CONNECTIONS_PER_IP, 429,
                "too many sockets from this address", ConnectionGate.RETRY_AFTER_SECONDS));
        assertThat(gate.openConnections()).isOne();
    }

    @Test
    void refusesOverTheHandshakeRateWithTheSecondsUntilTheNextToken() {
        ConnectionGate gate = gate(List.of("*"), List.of(), 100, new LimitsConfig(0, 0, 0.25, 2, 0, 0));
        gate.admit(ALICE, headers());
        gate.admit(ALICE, headers());
        Refused refused = (Refused) gate.admit(ALICE, headers());
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.cause()).isEqualTo(RefusalCause.HANDSHAKE_RATE);
        assertThat(refused.retryAfterSeconds()).isEqualTo(4);
        now += 4 * SECOND;
        assertThat(gate.admit(ALICE, headers())).isInstanceOf(Admitted.class);
    }

    @Test
    void trustsForwardedForOnlyFromATrustedProxyAndCountsTheForwardedClient() {
        ConnectionGate gate = gate(List.of("*"), List.of("10.0.0.0/8"), 100, new LimitsConfig(0, 1, 0, 0, 0, 0));
        Admitted viaProxy = (Admitted) gate.admit(PROXY, headers("X-Forwarded-For", "192.0.2.7"));
        assertThat(viaProxy.forwardedClient()).hasToString("192.0.2.7");
        assertThat(gate.admit(PROXY, headers("X-Forwarded-For", "192.0.2.7"))).as("same client")
                .isInstanceOf(Refused.class);
        assertThat(gate.admit(PROXY, headers("X-Forwarded-For", "192.0.2.8"))).as("another client behind it")
                .isInstanceOf(Admitted.class);
        assertThat(gate.admit(ALICE, headers("X-Forwarded-For", "192.0.2.9"))).as("not a proxy: header ignored")
                .isSameAs(Admitted.DIRECT);
        gate.release(PROXY, viaProxy.forwardedClient());
        assertThat(gate.admit(PROXY, headers("X-Forwarded-For", "192.0.2.7"))).isInstanceOf(Admitted.class);
    }

    @Test
    void offByDefault() {
        ConnectionGate gate = new ConnectionGate(AccessConfig.DEFAULT, Integer.MAX_VALUE, Refusals.NONE);
        assertThat(gate.messageRate()).isNull();
        for (int i = 0; i < 10_000; i++) {
            assertThat(gate.admit(ALICE, headers("Origin", "null"))).isSameAs(Admitted.DIRECT);
        }
    }
}
