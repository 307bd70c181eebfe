package dev.rendezvous.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class FingerParameterTest {

    private static String idOf(String rawQuery) {
        FingerParameter.Result result = FingerParameter.parse(rawQuery);
        assertThat(result.problem()).as("problem with %s", rawQuery).isNull();
        return result.id().value();
    }

    private static String refusal(String rawQuery) {
        FingerParameter.Result result = FingerParameter.parse(rawQuery);
        assertThat(result.id()).as("id from %s", rawQuery).isNull();
        assertThat(result.problem()).isNotBlank().doesNotContain("\n").doesNotContain("\r");
        return result.problem();
    }

    @Test
    void readsAPlainId() {
        assertThat(idOf("finger=alice")).isEqualTo("alice");
    }

    @Test
    void findsFingerAmongOtherParameters() {
        assertThat(idOf("v=2&finger=alice&x")).isEqualTo("alice");
        assertThat(idOf("&&finger=alice&")).isEqualTo("alice");
    }

    @Test
    void percentDecodesAFingerprintWithSpaceAndColons() {
        assertThat(idOf("finger=sha-256%20AB%3ACD%3aEF")).isEqualTo("sha-256 AB:CD:EF");
    }

    @Test
    void keepsPlusAsPlusUnlikeHtmlForms() {
        assertThat(idOf("finger=a+b")).isEqualTo("a+b");
        assertThat(idOf("finger=a%2Bb")).isEqualTo("a+b");
        assertThat(idOf("finger=a%20b")).isEqualTo("a b");
    }

    @Test
    void decodesEscapedDelimitersIntoTheId() {
        assertThat(idOf("finger=a%26b%3Dc")).isEqualTo("a&b=c");
    }

    @Test
    void decodesPercentEncodedMultibyteUtf8() {
        assertThat(idOf("finger=%C3%A9%E2%82%AC%F0%9F%98%80")).isEqualTo("\u00e9\u20ac\uD83D\uDE00");
    }

    @Test
    void acceptsRawUtf8BytesThatNettyMappedToLatin1Chars() {
        String rawBytes = new String("\u00e9\u20ac".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);

        assertThat(idOf("finger=" + rawBytes)).isEqualTo("\u00e9\u20ac");
    }

    @ParameterizedTest
    @ValueSource(strings = {"finger=%zz", "finger=%g1", "finger=a%", "finger=a%4", "finger=%", "finger=%%41",
            "finger=%-1"})
    void refusesMalformedEscapes(String query) {
        assertThat(refusal(query)).contains("percent-encoded");
    }

    @ParameterizedTest
    @ValueSource(strings = {"finger=%FF", "finger=%C3", "finger=a%C3b", "finger=%C0%AF", "finger=%ED%A0%80",
            "finger=%F4%90%80%80", "finger=%E9"})
    void refusesBytesThatAreNotUtf8(String query) {
        assertThat(refusal(query)).contains("UTF-8");
    }

    @Test
    void refusesALoneLatin1ByteThatIsNotUtf8() {
        assertThat(refusal("finger=\u00e9")).contains("UTF-8");
    }

    @Test
    void refusesCharactersThatCannotComeFromARequestLine() {
        assertThat(refusal("finger=\u20ac")).contains("UTF-8");
    }

    @Test
    void refusesMoreThanOneFingerEvenWhenTheyAgree() {
        assertThat(refusal("finger=alice&finger=alice")).contains("more than one");
        assertThat(refusal("finger=alice&finger")).contains("more than one");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "finger", "finger=", "x=1", "fingerprint=alice", "Finger=alice", "&"})
    void refusesAMissingOrEmptyFinger(String query) {
        assertThat(refusal(query)).contains("missing finger");
    }

    @ParameterizedTest
    @ValueSource(strings = {"finger=%00", "finger=a%0Ab", "finger=%7F", "finger=%C2%85"})
    void refusesIdsWithControlCharacters(String query) {
        assertThat(refusal(query)).startsWith("invalid finger").contains("control character");
    }

    @Test
    void appliesTheByteLimitAfterDecoding() {
        assertThat(idOf("finger=" + "%E2%82%AC".repeat(85) + "a")).hasSize(86);
        assertThat(refusal("finger=" + "%E2%82%AC".repeat(86))).startsWith("invalid finger").contains("256 bytes");
        assertThat(idOf("finger=" + "a".repeat(256))).hasSize(256);
        assertThat(refusal("finger=" + "a".repeat(257))).contains("256 bytes");
    }
}
