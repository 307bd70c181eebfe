package dev.rendezvous.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.config.TurnConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** coturn's REST convention, and the username form coturn 4.6.1 accepts for every ID. */
class TurnCredentialsTest {

    private static final TurnCredentials CREDENTIALS = new TurnCredentials(
            new TurnConfig("s3cret", List.of(URI.create("turn:127.0.0.1:3478")), Duration.ofHours(1)));

    /** The expected password from an independent implementation: {@code openssl dgst -sha1 -hmac s3cret -binary | base64}. */
    @Test
    void theUsernameIsExpiryColonIdAndThePasswordItsBase64HmacSha1() {
        TurnCredentials.Credential minted = CREDENTIALS.mint("AB:CD:EF", 1_700_000_000L);

        assertThat(minted.username()).isEqualTo("1700003600:AB:CD:EF");
        assertThat(minted.password()).isEqualTo("eIwmpSvQ0pYKL/GJPMoRPWghmVo=");
        assertThat(minted.expiresAtSeconds()).isEqualTo(1_700_003_600L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AB:CD:EF:01:23", "brave-otter-42", "a", "x!#$%&()*+,-./;<=>?@[]^_`{|}~", "UNIONS"})
    void idsCoturnAcceptsAreKeptAsTheyAre(String id) {
        assertThat(TurnCredentials.usernameId(id)).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha-256 AB:CD", "tab\there", "quote\"d", "it's", "back\\slash", "caf\u00e9",
            "\u65e5\u672c", "Union-Select", "selectunion", "b64.looks-encoded", "\u00a0nbsp"})
    void otherIdsAreCarriedAsPrefixedBase64UrlThatDecodesToTheId(String id) {
        String carried = TurnCredentials.usernameId(id);

        assertThat(carried).startsWith("b64.").matches("b64\\.[A-Za-z0-9_-]+");
        assertThat(new String(Base64.getUrlDecoder().decode(carried.substring(4)), StandardCharsets.UTF_8))
                .isEqualTo(id);
    }

    @Test
    void theLongestIdStillFitsCoturnsUsernameLimit() {
        String longest = "\u00e9".repeat(128); // 256 bytes of UTF-8, the most an ID may hold

        assertThat(CREDENTIALS.mint(longest, 1_700_000_000L).username().getBytes(StandardCharsets.UTF_8))
                .hasSizeLessThanOrEqualTo(512);
        assertThat(TurnCredentials.usernameId("sha-256 AB:CD")).isEqualTo("b64.c2hhLTI1NiBBQjpDRA");
    }
}
