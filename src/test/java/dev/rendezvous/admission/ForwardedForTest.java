package dev.rendezvous.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.config.CidrRange;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ForwardedForTest {

    private static final List<CidrRange> PROXIES = List.of(CidrRange.parse("10.0.0.0/8"), CidrRange.parse("fd00::/8"));
    private static final ClientAddress PROXY = ClientAddress.parse("10.0.0.2");

    private static String client(ClientAddress peer, String... headers) {
        return ForwardedFor.client(peer, List.of(headers), PROXIES).toString();
    }

    @ParameterizedTest(name = "X-Forwarded-For: {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            203.0.113.7                              | 203.0.113.7
            198.51.100.1, 203.0.113.7                | 203.0.113.7
            198.51.100.1, 203.0.113.7, 10.1.1.1      | 203.0.113.7
            203.0.113.7,10.1.1.1 ,  10.2.2.2         | 203.0.113.7
            '\t203.0.113.7\t'                        | 203.0.113.7
            203.0.113.7:4711                         | 203.0.113.7
            2001:db8::7                              | 2001:db8::7
            [2001:db8::7]                            | 2001:db8::7
            [2001:DB8:0:0:0:0:0:7]:443               | 2001:db8::7
            ::ffff:203.0.113.7                       | 203.0.113.7
            garbage, 203.0.113.7                     | 203.0.113.7
            '203.0.113.7, fd00::1'                   | 203.0.113.7
            10.1.1.1, 10.2.2.2                       | 10.1.1.1
            unknown                                  | 10.0.0.2
            203.0.113.7, unknown                     | 10.0.0.2
            '203.0.113.7, '                          | 10.0.0.2
            '203.0.113.7,,10.1.1.1'                  | 10.0.0.2
            example.com                              | 10.0.0.2
            203.0.113.7:99999                        | 10.0.0.2
            [203.0.113.7]                            | 10.0.0.2
            2001:db8::7:443                          | 2001:db8::7:443
            .::1                                     | 10.0.0.2
            ''                                       | 10.0.0.2
            """)
    void takesTheRightmostEntryThatIsNotATrustedProxy(String header, String expected) {
        assertThat(client(PROXY, header)).isEqualTo(expected);
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItSends() {
        ClientAddress stranger = ClientAddress.parse("198.51.100.9");
        assertThat(client(stranger, "203.0.113.7")).isEqualTo("198.51.100.9");
        assertThat(ForwardedFor.client(stranger, List.of("203.0.113.7"), List.of())).isSameAs(stranger);
    }

    @Test
    void aTrustedPeerWithoutTheHeaderIsTheClient() {
        assertThat(ForwardedFor.client(PROXY, List.of(), PROXIES)).isSameAs(PROXY);
    }

    @Test
    void severalHeadersAreOneListInTheirOrder() {
        assertThat(client(PROXY, "198.51.100.1, 203.0.113.7", "10.1.1.1")).isEqualTo("203.0.113.7");
        assertThat(client(PROXY, "203.0.113.7", "10.1.1.1, 10.2.2.2")).isEqualTo("203.0.113.7");
        assertThat(client(PROXY, "10.1.1.1", "10.2.2.2")).isEqualTo("10.1.1.1");
    }

    @Test
    void anIpv4MappedPeerIsTrustedLikeItsIpv4Address() {
        ClientAddress mapped = ClientAddress.parse("::ffff:10.0.0.2");
        assertThat(mapped).isEqualTo(PROXY);
        assertThat(client(mapped, "203.0.113.7")).isEqualTo("203.0.113.7");
    }
}
