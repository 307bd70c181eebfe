package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.rendezvous.admission.TokenMinter;
import dev.rendezvous.config.AuthConfig;
import dev.rendezvous.support.Grants;
import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.RawWebSocket;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Signed grants (HS256, two secrets) over real sockets: every 4401 reason, leeway, peers, rotation. */
class GrantsTest {

    static final AuthConfig AUTH = new AuthConfig(List.of(Grants.SECRET, Grants.SECOND_SECRET), null, null, null,
            null, "sub", Duration.ofSeconds(30));

    @RegisterExtension
    static final NodeUnderTest server = new NodeUnderTest(TestServer.config().auth(AUTH));

    private static TestClient withGrant(String id, String token) throws Exception {
        return TestClient.connect(TestClient.uri(server.port(), id, "token=" + token));
    }

    private static void assertRefused(String id, String token, String reason) throws Exception {
        try (TestClient refused = withGrant(id, token)) {
            assertThat(refused.awaitClose()).isEqualTo(new TestClient.Close(4401, reason));
        }
    }

    /** Proves {@code client} holds its ID: its message to itself comes back. */
    private static void assertBound(TestClient client, String id) throws Exception {
        String probe = "{\"to\":\"" + id + "\",\"probe\":1}";
        client.send(probe);
        assertThat(client.receive()).isEqualTo(probe);
    }

    @Test
    void noGrantIsTokenMissing() throws Exception {
        try (TestClient refused = TestClient.connect(server.port(), "no-grant")) {
            assertThat(refused.awaitClose()).isEqualTo(new TestClient.Close(4401, "token missing"));
        }
        assertRefused("empty-grant", "", "token missing");
    }

    @Test
    void garbageIsTokenInvalid() throws Exception {
        assertRefused("garbage", "not.a.jwt", "token invalid");
        assertRefused("garbage", "eyJhbGciOiJIUzI1NiJ9", "token invalid");
    }

    @Test
    void aGrantSignedWithAnUnknownSecretIsInvalid() throws Exception {
        assertRefused("forged", Grants.hs256("some-other-secret-of-at-least-32-bytes",
                Grants.claims("forged", Duration.ofHours(1)).build()), "token invalid");
    }

    @Test
    void anExpiredGrantIsTokenExpiredButLeewayCoversAFewSeconds() throws Exception {
        Instant now = Instant.now();
        assertRefused("late", Grants.hs256(Grants.SECRET, Grants.claims("late", Duration.ofHours(1))
                .expirationTime(Date.from(now.minusSeconds(45))).build()), "token expired");
        try (TestClient skewed = withGrant("skewed", Grants.hs256(Grants.SECRET, Grants.claims("skewed",
                Duration.ofHours(1)).expirationTime(Date.from(now.minusSeconds(10))).build()))) {
            assertBound(skewed, "skewed");
        }
    }

    @Test
    void aGrantWithoutExpIsInvalid() throws Exception {
        assertRefused("forever", Grants.hs256(Grants.SECRET, new com.nimbusds.jwt.JWTClaimsSet.Builder()
                .subject("forever").build()), "token invalid");
    }

    @Test
    void aGrantNotYetValidIsInvalidBeyondTheLeeway() throws Exception {
        Instant now = Instant.now();
        assertRefused("early", Grants.hs256(Grants.SECRET, Grants.claims("early", Duration.ofHours(1))
                .notBeforeTime(Date.from(now.plusSeconds(120))).build()), "token invalid");
        try (TestClient almost = withGrant("almost", Grants.hs256(Grants.SECRET, Grants.claims("almost",
                Duration.ofHours(1)).notBeforeTime(Date.from(now.plusSeconds(10))).build()))) {
            assertBound(almost, "almost");
        }
    }

    @Test
    void aGrantForAnotherIdIsRefusedAndThatIdIsNeverClaimed() throws Exception {
        assertRefused("mallory", Grants.forId("alice"), "token for another id");
        try (TestClient alice = withGrant("alice", Grants.forId("alice"))) {
            assertBound(alice, "alice");
        }
    }

    @Test
    void aValidGrantInTheQueryOrTheAuthorizationHeaderBindsTheId() throws Exception {
        try (TestClient query = withGrant("by-query", Grants.forId("by-query"));
             TestClient header = TestClient.connect(TestClient.uri(server.port(), "by-header"),
                     Map.of("Authorization", "Bearer " + Grants.forId("by-header")))) {
            assertBound(query, "by-query");
            assertBound(header, "by-header");
            query.send("{\"to\":\"by-header\",\"type\":\"offer\"}");
            assertThat(header.receive()).isEqualTo("{\"to\":\"by-header\",\"type\":\"offer\"}");
        }
    }

    @Test
    void twoGrantsInOneRequestAreInvalid() throws Exception {
        try (TestClient both = TestClient.connect(TestClient.uri(server.port(), "twice", "token=" + Grants.forId("twice")),
                Map.of("Authorization", "Bearer " + Grants.forId("twice")))) {
            assertThat(both.awaitClose()).isEqualTo(new TestClient.Close(4401, "token invalid"));
        }
    }

    @Test
    void aRefusedSocketHoldsNothingAndRelaysNothing() throws Exception {
        try (TestClient holder = withGrant("holder", Grants.forId("holder"));
             TestClient friend = withGrant("friend", Grants.forId("friend"))) {
            assertBound(holder, "holder");
            try (RawWebSocket refused = RawWebSocket.open(server.port(),
                    "/websocket/?finger=holder&token=" + Grants.forId("someone-else"))) {
                assertThat(refused.upgraded()).isTrue();
                refused.sendText("{\"to\":\"holder\",\"from\":\"holder\",\"type\":\"spoof\"}");
                RawWebSocket.Frame close = refused.readUntilClose();
                assertThat(close.closeCode()).isEqualTo(4401);
                assertThat(close.closeReason()).isEqualTo("token for another id");
            }
            friend.send("{\"to\":\"holder\",\"type\":\"marker\"}");
            assertThat(holder.receive()).as("the refused socket's message was never relayed")
                    .isEqualTo("{\"to\":\"holder\",\"type\":\"marker\"}");
            assertThat(holder.isOpen()).isTrue();
        }
    }

    @Test
    void theSecondSecretIsAcceptedAndMintingUsesTheFirst() throws Exception {
        try (TestClient rotated = withGrant("rotated", Grants.hs256(Grants.SECOND_SECRET,
                Grants.claims("rotated", Duration.ofHours(1)).build()))) {
            assertBound(rotated, "rotated");
        }
        String minted = TokenMinter.mint(AUTH, "minted", Duration.ofMinutes(5), List.of(), Instant.now());
        SignedJWT jwt = SignedJWT.parse(minted);
        JWSVerifier first = new MACVerifier(Grants.SECRET.getBytes(StandardCharsets.UTF_8));
        JWSVerifier second = new MACVerifier(Grants.SECOND_SECRET.getBytes(StandardCharsets.UTF_8));
        assertThat(jwt.verify(first)).isTrue();
        assertThat(SignedJWT.parse(minted).verify(second)).isFalse();
        try (TestClient client = withGrant("minted", minted)) {
            assertBound(client, "minted");
        }
    }

    @Test
    void peersLimitWhomASocketMaySignal() throws Exception {
        String grant = Grants.hs256(Grants.SECRET, Grants.claims("caller", Duration.ofHours(1))
                .claim("peers", List.of("callee")).build());
        try (TestClient caller = withGrant("caller", grant);
             TestClient callee = withGrant("callee", Grants.forId("callee"));
             TestClient stranger = withGrant("stranger", Grants.forId("stranger"))) {
            assertBound(callee, "callee");
            assertBound(stranger, "stranger");
            for (int i = 0; i < 3; i++) {
                caller.send("{\"to\":\"callee\",\"n\":" + i + "}");
                assertThat(callee.receive()).isEqualTo("{\"to\":\"callee\",\"n\":" + i + "}");
            }
            caller.send("{\"to\":\"stranger\",\"type\":\"offer\"}");
            Map<String, String> error = Json.fields(caller.receive());
            assertThat(error).containsEntry("type", "error").containsEntry("error", "not-allowed")
                    .containsEntry("peer", "stranger").containsEntry("to", "caller");
            caller.send("{\"to\":\"caller\",\"self\":true}");
            assertThat(Json.fields(caller.receive())).as("its own ID is not listed either")
                    .containsEntry("error", "not-allowed").containsEntry("peer", "caller");
            callee.send("{\"to\":\"stranger\",\"type\":\"marker\"}");
            assertThat(stranger.receive()).as("nothing from the caller reached the stranger")
                    .isEqualTo("{\"to\":\"stranger\",\"type\":\"marker\"}");
            stranger.send("{\"to\":\"caller\",\"type\":\"reply\"}");
            assertThat(caller.receive()).as("peers limits what the caller sends, not what it receives")
                    .isEqualTo("{\"to\":\"caller\",\"type\":\"reply\"}");
        }
    }

    @Test
    void aNewerSocketWithAValidGrantReplacesTheHolder() throws Exception {
        try (TestClient first = withGrant("device", Grants.forId("device"));
             TestClient sender = withGrant("sender", Grants.forId("sender"))) {
            assertBound(first, "device");
            try (TestClient second = withGrant("device", Grants.forId("device"))) {
                assertThat(first.awaitClose()).isEqualTo(new TestClient.Close(4410, "replaced"));
                sender.send("{\"to\":\"device\",\"n\":1}");
                assertThat(second.receive()).isEqualTo("{\"to\":\"device\",\"n\":1}");
            }
        }
    }
}
