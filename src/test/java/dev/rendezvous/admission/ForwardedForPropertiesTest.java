package dev.rendezvous.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.config.CidrRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** X-Forwarded-For parsing against arbitrary input and against a model of the rightmost-untrusted rule. */
class ForwardedForPropertiesTest {

    private static final ClientAddress PEER = ClientAddress.parse("10.0.0.1");
    /** Half of the pool below is trusted: the peer's network and one IPv6 /64. */
    private static final List<CidrRange> TRUSTED = List.of(CidrRange.parse("10.0.0.0/8"),
            CidrRange.parse("2001:db8:aaaa:1::/64"));
    private static final List<String> POOL = List.of("10.0.0.2", "10.9.9.9", "2001:db8:aaaa:1::5",
            "203.0.113.7", "198.51.100.1", "2001:db8:bbbb::1", "::ffff:10.0.0.3", "::ffff:203.0.113.8");
    private static final List<String> GARBAGE = List.of("", "unknown", "example.com", "1.2.3", "[1.2.3.4]",
            "1.2.3.4:70000", "_hidden", "::1%eth0", ".::1", "1.2.3.4.5");

    @Property(tries = 3000)
    void neverThrowsAndNamesThePeerOrAnAddressOfTheHeaders(@ForAll("headers") List<String> headers) {
        ClientAddress client = ForwardedFor.client(PEER, headers, TRUSTED);
        assertThat(client).isNotNull();
        if (client != PEER) {
            List<ClientAddress> named = new ArrayList<>();
            for (String header : headers) {
                for (String entry : header.split(",", -1)) {
                    named.add(ForwardedFor.entry(entry, 0, entry.length()));
                }
            }
            assertThat(named).contains(client);
        }
    }

    /** One address written the ways proxies write it (port, brackets, letter case, spaces) reads back as itself. */
    @Property(tries = 3000)
    void roundTrip(@ForAll("addresses") ClientAddress address, @ForAll long seed) {
        String written = write(address, new Random(seed));
        assertThat(ForwardedFor.entry(written, 0, written.length())).as(written).isEqualTo(address);
    }

    @Property(tries = 3000)
    void agreesWithTheModel(@ForAll("chains") List<List<String>> headers) {
        assertThat(ForwardedFor.client(PEER, joined(headers), TRUSTED)).isEqualTo(model(headers));
    }

    @Property(tries = 500)
    void anUntrustedPeerIsNeverReplaced(@ForAll("chains") List<List<String>> headers) {
        ClientAddress stranger = ClientAddress.parse("192.0.2.1");
        assertThat(ForwardedFor.client(stranger, joined(headers), TRUSTED)).isSameAs(stranger);
    }

    /** The rule as nginx's real_ip_recursive states it, over the entries as a plain list. */
    private static ClientAddress model(List<List<String>> headers) {
        List<String> entries = new ArrayList<>();
        headers.forEach(entries::addAll);
        if (entries.isEmpty()) {
            return PEER;
        }
        for (int i = entries.size() - 1; i >= 0; i--) {
            String entry = entries.get(i);
            if (GARBAGE.contains(entry)) {
                return PEER;
            }
            ClientAddress address = ClientAddress.parse(entry);
            if (!address.in(TRUSTED)) {
                return address;
            }
        }
        return ClientAddress.parse(entries.get(0));
    }

    private static List<String> joined(List<List<String>> headers) {
        return headers.stream().map(entries -> String.join(", ", entries)).toList();
    }

    private static String write(ClientAddress address, Random random) {
        String text = address.toString();
        if (random.nextBoolean()) {
            text = text.toUpperCase(java.util.Locale.ROOT);
        }
        String port = ":" + random.nextInt(65536);
        if (address.isIpv6()) {
            text = switch (random.nextInt(3)) {
                case 0 -> text;
                case 1 -> "[" + text + "]";
                default -> "[" + text + "]" + port;
            };
        } else if (random.nextBoolean()) {
            text += port;
        }
        return " ".repeat(random.nextInt(3)) + text + "\t".repeat(random.nextInt(2));
    }

    @Provide
    Arbitrary<List<String>> headers() {
        Arbitrary<String> near = Arbitraries.strings().withChars("0123456789abcdefABCDEF.:[], \tx%".toCharArray())
                .ofMaxLength(60);
        return Arbitraries.oneOf(near, Arbitraries.strings().ofMaxLength(60)).list().ofMaxSize(3);
    }

    @Provide
    Arbitrary<ClientAddress> addresses() {
        Arbitrary<ClientAddress> v4 = Arbitraries.bytes().array(byte[].class).ofSize(4).map(ClientAddress::of);
        Arbitrary<ClientAddress> v6 = Arbitraries.bytes().array(byte[].class).ofSize(16).map(ClientAddress::of);
        Arbitrary<ClientAddress> sparse = Arbitraries.integers().between(0, 0xffff).list().ofSize(8)
                .map(groups -> {
                    byte[] bytes = new byte[16];
                    for (int i = 0; i < 8; i++) {
                        int group = i % 3 == 0 ? 0 : groups.get(i);
                        bytes[2 * i] = (byte) (group >>> 8);
                        bytes[2 * i + 1] = (byte) group;
                    }
                    return ClientAddress.of(bytes);
                });
        return Arbitraries.oneOf(v4, v6, sparse);
    }

    @Provide
    Arbitrary<List<List<String>>> chains() {
        Arbitrary<String> entry = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(POOL)),
                Tuple.of(1, Arbitraries.of(GARBAGE)));
        return entry.list().ofMinSize(1).ofMaxSize(5).list().ofMaxSize(3);
    }
}
