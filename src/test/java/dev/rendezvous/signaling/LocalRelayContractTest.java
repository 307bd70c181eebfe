package dev.rendezvous.signaling;

class LocalRelayContractTest extends AbstractRelayContractTest {

    @Override
    protected Relay newRelay() {
        return new LocalRelay();
    }

    @Override
    protected Relay peerOf(Relay first) {
        return first;
    }
}
