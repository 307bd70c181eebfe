package dev.rendezvous.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.transport.AdminToken.Access;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdminTokenTest {

    private final AdminToken token = new AdminToken("0123456789abcdef-token");

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "NULL|ANONYMOUS",
        "Bearer 0123456789abcdef-token|AUTHORIZED",
        "bearer 0123456789abcdef-token|AUTHORIZED",
        "BEARER   0123456789abcdef-token  |AUTHORIZED",
        "Bearer 0123456789abcdef-toke|DENIED",
        "Bearer 0123456789abcdef-tokenX|DENIED",
        "Bearer |DENIED",
        "Bearer|DENIED",
        "Basic 0123456789abcdef-token|DENIED",
        "0123456789abcdef-token|DENIED",
        "''|DENIED"})
    void grantsTheAuthorizedViewOnlyToTheExactBearerToken(String header, Access expected) {
        assertThat(token.check(header)).isEqualTo(expected);
    }
}
