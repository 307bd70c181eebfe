package dev.rendezvous.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionBudgetTest {

    @Test
    void defaultsToTheOpenFileLimitMinusTheReserve() {
        ConnectionBudget budget = ConnectionBudget.resolve(0, 20_000);
        assertThat(budget.max()).isEqualTo(20_000 - ConnectionBudget.RESERVED_FILES)
                .as("the benchmark's 19,000 idle sockets fit").isGreaterThanOrEqualTo(19_000);
        assertThat(budget).hasToString("19744 (open-file limit 20000 minus 256)");
        assertThat(budget.warning(20_000)).isNull();
    }

    @Test
    void aTinyLimitKeepsHalfForSockets() {
        assertThat(ConnectionBudget.resolve(0, 300).max()).isEqualTo(150);
        assertThat(ConnectionBudget.resolve(0, 1).max()).isEqualTo(1);
    }

    @Test
    void anUnknownLimitMeansNoLimit() {
        assertThat(ConnectionBudget.resolve(0, -1).max()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void theFlagWinsAndIsWarnedAboutWhenTheFilesCannotHoldIt() {
        ConnectionBudget budget = ConnectionBudget.resolve(50_000, 20_000);
        assertThat(budget.max()).isEqualTo(50_000);
        assertThat(budget).hasToString("50000 (--max-connections)");
        assertThat(budget.warning(20_000)).contains("above the open-file limit 20000");
        assertThat(ConnectionBudget.resolve(100, 20_000).warning(20_000)).isNull();
    }
}
