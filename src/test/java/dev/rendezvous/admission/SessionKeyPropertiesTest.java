package dev.rendezvous.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The {@code session} parameter: exactly 22–128 characters of A-Z a-z 0-9 - _, anywhere in the query, once. */
class SessionKeyPropertiesTest {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    @Provide
    Arbitrary<String> validKeys() {
        return Arbitraries.strings().withChars(ALPHABET.toCharArray()).ofMinLength(22).ofMaxLength(128);
    }

    @Provide
    Arbitrary<String> otherParameters() {
        return Arbitraries.of("finger=alice", "token=a.b.c", "x=1", "sessions=zzz", "Session=abc", "session_=1", "");
    }

    @Property
    void aValidKeyAnywhereInTheQueryIsKeptAsItsSha256(@ForAll("validKeys") String key,
            @ForAll("otherParameters") String before, @ForAll("otherParameters") String after) throws Exception {
        SessionKey.Parsed parsed = SessionKey.fromQuery(before + "&session=" + key + "&" + after);
        assertThat(parsed.refused()).isFalse();
        assertThat(parsed.hash()).isEqualTo(MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(StandardCharsets.US_ASCII)));
    }

    @Property
    void aKeyOfAnyOtherLengthIsRefused(@ForAll("validKeys") String key, @ForAll @IntRange(min = 0, max = 21) int shortBy) {
        String tooShort = key.substring(0, Math.min(key.length(), shortBy));
        assertThat(SessionKey.fromQuery("session=" + tooShort).refused()).isTrue();
        assertThat(SessionKey.fromQuery("session=" + key + key.repeat(128 / key.length() + 1)).refused()).isTrue();
    }

    @Property
    void oneCharacterOutsideTheAlphabetIsRefused(@ForAll("validKeys") String key, @ForAll char intruder,
            @ForAll @IntRange(min = 0, max = 127) int at) {
        if (ALPHABET.indexOf(intruder) >= 0 || intruder == '&') {
            return;
        }
        int position = at % key.length();
        String spoiled = key.substring(0, position) + intruder + key.substring(position + 1);
        SessionKey.Parsed parsed = SessionKey.fromQuery("finger=a&session=" + spoiled);
        assertThat(parsed.refused()).as(spoiled).isTrue();
        assertThat(parsed.problem()).doesNotContain(spoiled).doesNotContain("\n");
    }

    @Property
    void twoSessionParametersAreRefusedEvenWhenEqual(@ForAll("validKeys") String first, @ForAll("validKeys") String second) {
        assertThat(SessionKey.fromQuery("session=" + first + "&finger=a&session=" + second).problem())
                .isEqualTo("more than one session parameter");
    }

    @Property
    void noSessionParameterMeansNoKey(@ForAll("otherParameters") String a, @ForAll("otherParameters") String b) {
        SessionKey.Parsed parsed = SessionKey.fromQuery(a + "&" + b);
        assertThat(parsed.refused()).isFalse();
        assertThat(parsed.hash()).isNull();
    }
}
