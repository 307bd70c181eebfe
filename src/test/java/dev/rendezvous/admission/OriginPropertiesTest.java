package dev.rendezvous.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.rendezvous.config.OriginPattern;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Origin-pattern parsing and Origin-header matching, for strings nobody thought of. */
class OriginPropertiesTest {

    /** Characters origins are made of, and those that break them, so fuzzed strings come near the grammar. */
    private static final String NEAR_ORIGINS = "htpsw:/.[]*-_@?#%+ \t0189afAFzZ\u212A\u0130\u00e9";

    @Provide
    Arbitrary<String> nearOrigins() {
        Arbitrary<String> fuzz = Arbitraries.strings().withChars(NEAR_ORIGINS.toCharArray()).ofMaxLength(40);
        Arbitrary<String> prefixed = fuzz.map(s -> "https://" + s);
        return Arbitraries.oneOf(fuzz, prefixed, Arbitraries.strings().ofMaxLength(60), serialisedOrigins());
    }

    @Property(tries = 3000)
    void parsingAPatternThrowsNothingButIllegalArgument(@ForAll("nearOrigins") String raw) {
        try {
            OriginPattern.parse(raw);
        } catch (IllegalArgumentException documented) {
            assertThat(documented.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 3000)
    void parsingAHeaderNeverThrows(@ForAll("nearOrigins") String header) {
        OriginPolicy policy = new OriginPolicy(List.of(OriginPattern.parse("https://*.example.com")));
        assertThatCode(() -> {
            Origin.parse(header);
            policy.allows(header);
        }).doesNotThrowAnyException();
    }

    /** Whatever the header parser accepts is a valid pattern, and that pattern admits the header. */
    @Property(tries = 3000)
    void everyAcceptedHeaderIsAPatternThatMatchesIt(@ForAll("nearOrigins") String header) {
        Origin origin = Origin.parse(header);
        if (origin != null) {
            OriginPattern pattern = OriginPattern.parse(header);
            assertThat(pattern.matches(origin.scheme(), origin.host(), origin.port())).isTrue();
            assertThat(new OriginPolicy(List.of(pattern)).allows(header)).isTrue();
        }
    }

    /** An origin written in any letter case, with or without its default port, reads back as its parts. */
    @Property(tries = 2000)
    void roundTrip(@ForAll("origins") Origin origin, @ForAll long seed) {
        String written = write(origin, new Random(seed));
        assertThat(Origin.parse(written)).isEqualTo(origin);
        assertThat(new OriginPolicy(List.of(OriginPattern.parse(origin.toString()))).allows(written)).isTrue();
    }

    @Property(tries = 2000)
    void anotherHostOrPortIsNotTheSameOrigin(@ForAll("origins") Origin origin, @ForAll("labels") String label) {
        OriginPolicy exact = new OriginPolicy(List.of(OriginPattern.parse(origin.toString())));
        Origin otherHost = new Origin(origin.scheme(), label + "." + origin.host().replace("[", "").replace("]", "")
                .replace(':', '-'), origin.port());
        Origin otherPort = new Origin(origin.scheme(), origin.host(), origin.port() == 1 ? 2 : 1);
        assertThat(exact.allows(otherHost.toString())).isFalse();
        assertThat(exact.allows(otherPort.toString())).isFalse();
    }

    @Property(tries = 2000)
    void aSubdomainPatternMatchesEverySubdomainButNotTheDomain(@ForAll("dnsHosts") String domain,
            @ForAll("dnsHosts") String sub) {
        OriginPolicy policy = new OriginPolicy(List.of(OriginPattern.parse("https://*." + domain)));
        assertThat(policy.allows("https://" + sub + "." + domain)).isTrue();
        assertThat(policy.allows("https://" + domain)).isFalse();
        assertThat(policy.allows("https://" + sub + domain)).as("no dot: another domain").isFalse();
        assertThat(policy.allows("http://" + sub + "." + domain)).as("another scheme").isFalse();
    }

    private static String write(Origin origin, Random random) {
        StringBuilder text = new StringBuilder();
        for (char c : (origin.scheme() + "://" + origin.host()).toCharArray()) {
            text.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        int port = origin.port() >= 0 ? origin.port() : Origin.defaultPort(origin.scheme());
        if (origin.port() >= 0 || port > 0 && random.nextBoolean()) {
            text.append(':').append(port);
        }
        return text.toString();
    }

    @Provide
    Arbitrary<Origin> origins() {
        Arbitrary<String> schemes = Arbitraries.of("http", "https", "ws", "wss", "chrome-extension", "app+x.y");
        Arbitrary<String> hosts = Arbitraries.oneOf(dnsHosts(), ipv6Hosts());
        Arbitrary<Integer> ports = Arbitraries.oneOf(Arbitraries.just(-1), Arbitraries.integers().between(1, 65535));
        return Combinators.combine(schemes, hosts, ports).as((scheme, host, port) ->
                new Origin(scheme, host, port == Origin.defaultPort(scheme) ? -1 : port));
    }

    @Provide
    Arbitrary<String> serialisedOrigins() {
        return origins().map(Origin::toString);
    }

    @Provide
    Arbitrary<String> labels() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-".toCharArray())
                .ofMinLength(1).ofMaxLength(12)
                .filter(l -> !l.startsWith("-") && !l.endsWith("-"));
    }

    @Provide
    Arbitrary<String> dnsHosts() {
        return labels().list().ofMinSize(1).ofMaxSize(4).map(parts -> String.join(".", parts));
    }

    private Arbitrary<String> ipv6Hosts() {
        return Arbitraries.bytes().array(byte[].class).ofSize(16)
                .map(bytes -> "[" + ClientAddress.of(bytes).toString().toLowerCase(Locale.ROOT) + "]")
                .filter(host -> host.indexOf(':') > 0);
    }
}
