package dev.rendezvous.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.signaling.ByteArrayPayload;
import dev.rendezvous.signaling.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterEnvelopeTest {

    private static final NodeId ORIGIN = new NodeId("node-a");
    private static final PeerId RECIPIENT = new PeerId("sha-256 AB:CD:☃");
    private static final PeerId SENDER = new PeerId("sender é");

    @Test
    void aMessageCarriesThePayloadBytesUntouched() {
        byte[] payload = "{\"to\":\"x\",\"sdp\":\"é\\\"\\u0000\"}".getBytes(StandardCharsets.UTF_8);

        ClusterEnvelope envelope = ClusterEnvelope.decode(
                ClusterEnvelope.message(ORIGIN, RECIPIENT, SENDER, new ByteArrayPayload(payload)));

        assertThat(envelope.kind()).isEqualTo(ClusterEnvelope.Kind.MESSAGE);
        assertThat(envelope.origin()).isEqualTo(ORIGIN);
        assertThat(envelope.recipient()).isEqualTo(RECIPIENT);
        assertThat(envelope.sender()).isEqualTo(SENDER);
        assertThat(envelope.payload().toByteArray()).isEqualTo(payload);
        assertThat(envelope.payload().length()).isEqualTo(payload.length);
    }

    @Test
    void aMissHasNoPayload() {
        ClusterEnvelope envelope = ClusterEnvelope.decode(ClusterEnvelope.miss(ORIGIN, RECIPIENT, SENDER, ""));

        assertThat(envelope.kind()).isEqualTo(ClusterEnvelope.Kind.MISS);
        assertThat(envelope.recipient()).isEqualTo(RECIPIENT);
        assertThat(envelope.payload().length()).isZero();
    }

    @Test
    void truncatedOrUnknownFramesAreRejected() {
        byte[] frame = ClusterEnvelope.miss(ORIGIN, RECIPIENT, SENDER, "");
        for (int cut = 0; cut < frame.length; cut++) {
            byte[] truncated = Arrays.copyOf(frame, cut);
            assertThatThrownBy(() -> ClusterEnvelope.decode(truncated)).isInstanceOf(IllegalArgumentException.class);
        }
        frame[0] = 9;
        assertThatThrownBy(() -> ClusterEnvelope.decode(frame)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBusFrameCarriesSeveralEnvelopesInOrder() {
        List<byte[]> envelopes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] payload = ("{\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            envelopes.add(ClusterEnvelope.message(ORIGIN, RECIPIENT, SENDER, new ByteArrayPayload(payload)));
        }
        envelopes.add(ClusterEnvelope.miss(ORIGIN, RECIPIENT, SENDER, ""));
        List<String> seen = new ArrayList<>();

        BusFrame.decode(BusFrame.encode(envelopes),
                e -> seen.add(e.kind() + " " + new String(e.payload().toByteArray(), StandardCharsets.UTF_8)));

        assertThat(seen).containsExactly("MESSAGE {\"seq\":0}", "MESSAGE {\"seq\":1}", "MESSAGE {\"seq\":2}", "MISS ");
        byte[] frame = BusFrame.encode(envelopes);
        assertThatThrownBy(() -> BusFrame.decode(Arrays.copyOf(frame, frame.length - 1), e -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLeaseValueNamesItsNode() {
        assertThat(ClusterKeys.ownerOf("node-a/1f.2".getBytes(StandardCharsets.UTF_8))).isEqualTo(ORIGIN);
        assertThat(ClusterKeys.ownerOf("garbage".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(ClusterKeys.ownerOf(null)).isNull();
    }
}
