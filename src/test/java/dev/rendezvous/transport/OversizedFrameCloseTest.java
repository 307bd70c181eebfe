package dev.rendezvous.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.RawWebSocket;
import dev.rendezvous.support.TestServer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A browser sends an oversized message as one frame. The 1009 close frame must reach it intact:
 * the server closes its side with a FIN and drains the rest of the frame, because hanging up with
 * those bytes unread makes the kernel send a reset that can destroy the close frame (Chrome then
 * reports 1006 instead of 1009).
 */
class OversizedFrameCloseTest {

    @Test
    void anOversizedFrameGets1009FollowedByACleanEndOfStream() throws Exception {
        try (TestServer server = TestServer.start();
             RawWebSocket offender = RawWebSocket.connect(server.port(), "offender")) {
            byte[] payload = new byte[4 * 65536];
            Arrays.fill(payload, (byte) 'x');

            offender.sendFrame(RawWebSocket.TEXT, true, payload);

            RawWebSocket.Frame close = offender.readUntilClose();
            assertThat(close).isNotNull();
            assertThat(close.closeCode()).isEqualTo(1009);
            assertThat(offender.readFrame()).as("end of stream after the close frame, not a reset").isNull();
        }
    }
}
