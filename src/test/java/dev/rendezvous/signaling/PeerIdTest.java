package dev.rendezvous.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeerIdTest {

    /** A SHA-256 DTLS fingerprint as browsers print it: 32 hex pairs joined by colons. */
    private static final String FINGERPRINT = IntStream.range(0, 32)
            .mapToObj(i -> String.format("%02X", (i * 37 + 11) & 0xFF))
            .collect(Collectors.joining(":"));

    private static final String E_ACUTE = "\u00e9";            // 2 bytes of UTF-8
    private static final String EURO = "\u20ac";               // 3 bytes
    private static final String GRINNING_FACE = "\uD83D\uDE00"; // 4 bytes, a surrogate pair

    @Test
    void acceptsRealCertificateFingerprints() {
        assertThat(FINGERPRINT).hasSize(95);
        assertThat(PeerId.tryParse(FINGERPRINT)).map(PeerId::value).contains(FINGERPRINT);
        assertThat(PeerId.tryParse("sha-256 " + FINGERPRINT)).isPresent();
    }

    @Test
    void acceptsOneByte() {
        assertThat(PeerId.problemWith("A")).isNull();
    }

    @Test
    void rejectsNullAndEmpty() {
        assertThat(PeerId.problemWith(null)).isNotNull();
        assertThat(PeerId.problemWith("")).isNotNull();
        assertThat(PeerId.tryParse("")).isEmpty();
        assertThatIllegalArgumentException().isThrownBy(() -> new PeerId(""));
    }

    @Test
    void acceptsExactly256AsciiBytesAndRejects257() {
        assertThat(PeerId.problemWith("a".repeat(256))).isNull();
        assertThat(PeerId.problemWith("a".repeat(257))).contains("256 bytes");
    }

    @Test
    void countsTwoByteCharactersAtTheBoundary() {
        assertThat(PeerId.problemWith(E_ACUTE.repeat(128))).isNull();
        assertThat(PeerId.problemWith(E_ACUTE.repeat(128) + "a")).isNotNull();
        assertThat(PeerId.problemWith("a" + E_ACUTE.repeat(127) + "a")).isNull();
    }

    @Test
    void countsThreeByteCharactersAtTheBoundary() {
        assertThat(PeerId.problemWith(EURO.repeat(85) + "a")).isNull();
        assertThat(PeerId.problemWith(EURO.repeat(85) + E_ACUTE)).isNotNull();
        assertThat(PeerId.problemWith(EURO.repeat(86))).isNotNull();
    }

    @Test
    void countsSurrogatePairsAsFourBytesNotTwoChars() {
        String sixtyFourFaces = GRINNING_FACE.repeat(64);
        assertThat(sixtyFourFaces).hasSize(128);
        assertThat(PeerId.problemWith(sixtyFourFaces)).isNull();
        assertThat(PeerId.problemWith(sixtyFourFaces + "a")).isNotNull();
        assertThat(PeerId.problemWith(GRINNING_FACE.repeat(63) + EURO + "a")).isNull();
    }

    @Test
    void agreesWithTheUtf8EncoderOnRandomValidStrings() {
        Random random = new Random(2026);
        int[] pool = {'a', '~', 0xe9, 0x7ff, 0x800, 0x20ac, 0xfffd, 0x1f600, 0x10ffff};
        for (int round = 0; round < 2_000; round++) {
            StringBuilder id = new StringBuilder();
            int codePoints = 1 + random.nextInt(140);
            for (int i = 0; i < codePoints; i++) {
                id.appendCodePoint(pool[random.nextInt(pool.length)]);
            }
            String value = id.toString();
            int utf8Bytes = value.getBytes(StandardCharsets.UTF_8).length;
            assertThat(PeerId.problemWith(value) == null).as("valid with %d UTF-8 bytes", utf8Bytes)
                    .isEqualTo(utf8Bytes <= PeerId.MAX_UTF8_BYTES);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "a\nb", "a\rb", "\tab", "ab\u001f", "a\u007fb", "a\u0085b", "a\u009fb"})
    void rejectsControlCharacters(String id) {
        assertThat(PeerId.problemWith(id)).contains("control character");
    }

    @Test
    void acceptsSpacesAndPunctuation() {
        assertThat(PeerId.problemWith("sha-256 AB:CD/+=?&\"'")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uD83D", "a\uD83Db", "\uDE00", "a\uDE00", "\uDE00\uD83D", "\uD83D\uD83D\uDE00x"})
    void rejectsUnpairedSurrogates(String id) {
        assertThat(PeerId.problemWith(id)).contains("unicode");
    }

    @Test
    void isAValueSoEqualIdsFindTheSameRegistryEntry() {
        assertThat(new PeerId(FINGERPRINT)).isEqualTo(new PeerId(new String(FINGERPRINT))).hasToString(FINGERPRINT);
        assertThat(new PeerId("a")).isNotEqualTo(new PeerId("A"));
    }
}
