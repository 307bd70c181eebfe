package dev.rendezvous.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.config.OriginPattern;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OriginPolicyTest {

    private static OriginPolicy policy(String... patterns) {
        return new OriginPolicy(Arrays.stream(patterns).map(OriginPattern::parse).toList());
    }

    private final OriginPolicy app = policy("https://app.example.com", "https://*.example.org", "http://localhost:8080");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            https://app.example.com         | true
            HTTPS://App.Example.COM         | true
            https://app.example.com:443     | true
            https://app.example.com:8443    | false
            http://app.example.com          | false
            https://evil.example.com        | false
            https://app.example.com.evil.io | false
            https://a.example.org           | true
            https://a.b.example.org         | true
            https://example.org             | false
            https://aexample.org            | false
            http://localhost:8080           | true
            http://localhost                | false
            http://localhost:80             | false
            null                            | false
            https://app.example.com/        | false
            https://app.example.com/path    | false
            https://user@app.example.com    | false
            ' https://app.example.com'      | false
            https://app.example.com:        | false
            https://app.example.com:0       | false
            https://app..example.com        | false
            https://-app.example.com        | false
            ''                              | false
            """)
    void decidesEachOriginAsBrowsersSerialiseIt(String origin, boolean allowed) {
        assertThat(app.allows(origin)).isEqualTo(allowed);
    }

    @Test
    void aRequestWithoutOriginIsAllowed() {
        assertThat(app.allows((String) null)).isTrue();
        assertThat(app.allows(List.of())).isTrue();
    }

    @Test
    void twoOriginsInOneRequestAreRefused() {
        assertThat(app.allows(List.of("https://app.example.com", "https://app.example.com"))).isFalse();
    }

    @Test
    void aStarAdmitsEverythingEvenNullAndGarbage() {
        OriginPolicy any = policy("https://app.example.com", "*");
        assertThat(any.allowsAny()).isTrue();
        for (String origin : List.of("null", "https://evil.example", "not an origin", "")) {
            assertThat(any.allows(origin)).as(origin).isTrue();
        }
        assertThat(any.allows(List.of("a", "b"))).isTrue();
    }

    @Test
    void aDefaultPortInThePatternIsTheSameOrigin() {
        OriginPolicy explicit = policy("https://app.example.com:443", "http://[::1]:80");
        assertThat(explicit.allows("https://app.example.com")).isTrue();
        assertThat(explicit.allows("http://[::1]")).isTrue();
        assertThat(explicit.allows("http://[::1]:8080")).isFalse();
    }

    @Test
    void nonAsciiHostsMustBeWrittenInPunycode() {
        // U+212A KELVIN SIGN lower-cases to 'k': without the ASCII rule it would stand for "kelvin.example".
        assertThat(policy("https://kelvin.example").allows("https://\u212Aelvin.example")).isFalse();
        assertThat(policy("https://xn--bcher-kva.example").allows("https://xn--bcher-kva.example")).isTrue();
    }
}
