package dev.rendezvous.support;

import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.DeliveryResult;
import dev.rendezvous.signaling.Payload;
import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.PeerSession;
import dev.rendezvous.signaling.SignalError;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A session that records what the relay hands it, with bounded waits; thread-safe like the real one. */
public final class FakeSession implements PeerSession {

    private final PeerId id;
    private final BlockingQueue<String> delivered = new LinkedBlockingQueue<>();
    private final BlockingQueue<SignalError> errors = new LinkedBlockingQueue<>();
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();

    public FakeSession(String id) {
        this.id = new PeerId(id);
    }

    @Override
    public PeerId id() {
        return id;
    }

    @Override
    public DeliveryResult deliver(Payload payload) {
        if (closed.isDone()) {
            return DeliveryResult.CLOSED;
        }
        delivered.add(new String(payload.toByteArray(), StandardCharsets.UTF_8));
        return DeliveryResult.QUEUED;
    }

    @Override
    public DeliveryResult sendHeld(PeerId recipient) {
        return closed.isDone() ? DeliveryResult.CLOSED : DeliveryResult.QUEUED;
    }

    @Override
    public DeliveryResult sendError(SignalError error) {
        if (closed.isDone()) {
            return DeliveryResult.CLOSED;
        }
        errors.add(error);
        return DeliveryResult.QUEUED;
    }

    @Override
    public void close(CloseReason reason) {
        closed.complete(reason);
    }

    public String nextMessage() throws InterruptedException {
        String message = delivered.poll(TestClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError(id + " received nothing within " + TestClient.WAIT);
        }
        return message;
    }

    public SignalError nextError() throws InterruptedException {
        SignalError error = errors.poll(TestClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (error == null) {
            throw new AssertionError(id + " got no error within " + TestClient.WAIT);
        }
        return error;
    }

    public CloseReason awaitClose() throws Exception {
        return closed.get(TestClient.WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    public boolean hasNothingPending() {
        return delivered.isEmpty() && errors.isEmpty();
    }

    @Override
    public String toString() {
        return "FakeSession[" + id + "]";
    }
}
