package dev.rendezvous.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientAddressTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1                               | 127.0.0.1
            0:0:0:0:0:0:0:1                         | ::1
            2001:DB8:0:0:0:0:0:1                    | 2001:db8::1
            2001:db8:0:0:1:0:0:1                    | 2001:db8::1:0:0:1
            2001:0:0:1:0:0:0:1                      | 2001:0:0:1::1
            2001:db8:0:1:1:1:1:1                    | 2001:db8:0:1:1:1:1:1
            0:0:0:0:0:0:0:0                         | ::
            fe80:0:0:0:0:0:0:0                      | fe80::
            ::ffff:192.0.2.1                        | 192.0.2.1
            """)
    void writesAddressesInTheirCanonicalForm(String literal, String text) {
        assertThat(ClientAddress.parse(literal)).hasToString(text);
    }

    @Test
    void anIpv6ClientIsItsSlash64() {
        ClientAddress one = ClientAddress.parse("2001:db8:1:2::1");
        ClientAddress other = ClientAddress.parse("2001:db8:1:2:ffff:ffff:ffff:ffff");
        ClientAddress neighbour = ClientAddress.parse("2001:db8:1:3::1");
        assertThat(one.key()).isEqualTo(other.key()).isNotEqualTo(neighbour.key());
    }

    @Test
    void anIpv4ClientIsItsAddressAndNeverAnIpv6Prefix() throws Exception {
        ClientAddress v4 = ClientAddress.of(InetAddress.getByName("192.0.2.1"));
        assertThat(v4.key()).isNotEqualTo(ClientAddress.parse("192.0.2.2").key());
        assertThat(v4.key()).isEqualTo(ClientAddress.parse("::ffff:192.0.2.1").key());
        // ::c000:201 holds the same 32 bits, in another family.
        assertThat(v4.key()).isNotEqualTo(ClientAddress.parse("::c000:201").key());
    }

    @Test
    void anUnknownPeerHasOneSharedKey() {
        assertThat(ClientAddress.of((InetAddress) null)).isSameAs(ClientAddress.UNKNOWN).hasToString("unknown");
    }
}
