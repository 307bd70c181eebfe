package dev.rendezvous.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Where a grant is found: {@code token=} in the query or {@code Authorization: Bearer}, exactly once. */
class GrantTokenPropertiesTest {

    @Provide
    Arbitrary<String> jwts() {
        Arbitrary<String> part = Arbitraries.strings()
                .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray())
                .ofMinLength(1).ofMaxLength(60);
        return Combinators.combine(part, part, part).as((h, p, s) -> h + "." + p + "." + s);
    }

    @Provide
    Arbitrary<String> otherParameters() {
        return Arbitraries.of("finger=alice", "session=abcdefghijklmnopqrstuv", "tokens=x", "Token=y", "x", "");
    }

    @Provide
    Arbitrary<String> bearerSchemes() {
        return Arbitraries.of("Bearer", "bearer", "BEARER", "bEaReR");
    }

    @Property
    void aTokenParameterIsTakenAsIs(@ForAll("jwts") String jwt, @ForAll("otherParameters") String before,
            @ForAll("otherParameters") String after) {
        GrantToken.Found found = GrantToken.extract(before + "&token=" + jwt + "&" + after, List.of());
        assertThat(found.token()).isEqualTo(jwt);
        assertThat(found.ambiguous()).isFalse();
    }

    @Property
    void aBearerHeaderOfAnyCaseIsAGrant(@ForAll("jwts") String jwt, @ForAll("bearerSchemes") String scheme,
            @ForAll("otherParameters") String query) {
        GrantToken.Found found = GrantToken.extract(query, List.of(scheme + "  " + jwt + " "));
        assertThat(found.token()).isEqualTo(jwt);
    }

    @Property
    void otherAuthorizationSchemesAreNotGrants(@ForAll("jwts") String jwt) {
        for (String header : List.of("Basic " + jwt, "Bearerx " + jwt, "Token " + jwt, jwt)) {
            assertThat(GrantToken.extract("finger=a", List.of(header)).missing()).as(header).isTrue();
        }
    }

    @Property
    void twoGrantsAreAmbiguousWhereverTheyAre(@ForAll("jwts") String first, @ForAll("jwts") String second) {
        assertThat(GrantToken.extract("token=" + first + "&token=" + second, List.of()).ambiguous()).isTrue();
        assertThat(GrantToken.extract("token=" + first, List.of("Bearer " + second)).ambiguous()).isTrue();
        assertThat(GrantToken.extract("finger=a", List.of("Bearer " + first, "Bearer " + second)).ambiguous()).isTrue();
        assertThat(GrantToken.extract("token=" + first, List.of("Bearer " + first)).ambiguous())
                .as("even the same grant twice").isTrue();
    }

    @Property
    void anEmptyGrantIsAMissingOne(@ForAll("otherParameters") String query) {
        assertThat(GrantToken.extract(query + "&token=", List.of()).missing()).isTrue();
        assertThat(GrantToken.extract(query + "&token", List.of()).missing()).isTrue();
        assertThat(GrantToken.extract(query, List.of("Bearer")).missing()).isTrue();
        assertThat(GrantToken.extract(query, List.of("Bearer   ")).missing()).isTrue();
        assertThat(GrantToken.extract(query, List.of()).missing()).isTrue();
    }
}
