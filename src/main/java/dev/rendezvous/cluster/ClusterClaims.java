package dev.rendezvous.cluster;

import dev.rendezvous.signaling.Claim;
import dev.rendezvous.signaling.ClaimResult;
import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.LocalRelay;
import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.PeerRegistry;
import dev.rendezvous.signaling.PeerSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The claim side of a cluster node: the leases it holds in Redis and how a claim gets one. Local
 * first: a claim is decided on the node (taken, or a takeover of a local holder) before Redis is
 * asked. A plain claim asks {@code SET NX}; one with a session key or a grant asks the takeover
 * script, and when that replaced a holder on another node, waits for that node to let it go.
 */
final class ClusterClaims {

    private static final Logger log = LoggerFactory.getLogger(ClusterClaims.class);

    private final LocalRelay local;
    private final NodeId self;
    private final LeaseTokens tokens;
    private final IdDirectory directory;
    private final Takeovers takeovers;
    /** Null when the mailbox is off. */
    private final ClusterMailbox mailbox;
    private final ConcurrentMap<PeerId, Lease> leases = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<ClaimResult>> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean leaving;

    ClusterClaims(LocalRelay local, NodeId self, IdDirectory directory, Takeovers takeovers, ClusterMailbox mailbox) {
        this.local = local;
        this.self = self;
        this.tokens = new LeaseTokens(self);
        this.directory = directory;
        this.takeovers = takeovers;
        this.mailbox = mailbox;
    }

    /** The live leases, by ID: renewed by the {@link LeaseKeeper}. */
    ConcurrentMap<PeerId, Lease> leases() {
        return leases;
    }

    CompletionStage<ClaimResult> claim(PeerSession session) {
        PeerRegistry.Binding here = local.claimNow(session);
        if (here.result() == ClaimResult.TAKEN) {
            return CompletableFuture.completedFuture(ClaimResult.TAKEN);
        }
        if (here.displaced() != null) {
            letGo(here.displaced());
        }
        Claim claim = session.claim();
        Lease lease = new Lease(session, ClusterKeys.idKey(session.id()), tokens.next(claim.keyHashHex()));
        // A plain claim only ever gets a free ID, so SET NX does; one that may take the ID over
        // asks a script that compares key hashes.
        CompletionStage<IdDirectory.Take> asked = claim.hasKey() || claim.vouched()
                ? directory.take(lease.key(), lease.token(), claim.keyHashHex(), claim.vouched())
                : directory.acquire(lease.key(), lease.token())
                        .thenApply(acquired -> acquired ? IdDirectory.Take.CLAIMED : IdDirectory.Take.TAKEN);
        CompletableFuture<ClaimResult> claimed = asked.thenCompose(take -> tellReplacedNode(session, lease, take))
                .thenCompose(take -> drainIfWon(session.id(), take))
                .handle((take, failure) -> settle(session, lease, take, failure, here.displaced() != null))
                .toCompletableFuture();
        // Leaving waits for these: a lease granted after its snapshot would otherwise outlive the node.
        inFlight.add(claimed);
        claimed.whenComplete((result, failure) -> inFlight.remove(claimed));
        return claimed;
    }

    /**
     * A holder on another node was replaced: its node must stop delivering to it before the
     * newcomer's 101, or a message its own senders write in between would reach the old socket.
     */
    private CompletionStage<IdDirectory.Take> tellReplacedNode(PeerSession session, Lease lease,
            IdDirectory.Take take) {
        NodeId holder = take.outcome() == IdDirectory.Taken.REPLACED ? ClusterKeys.ownerOf(take.previous()) : null;
        if (holder == null || holder.equals(self)) {
            return CompletableFuture.completedFuture(take);
        }
        return takeovers.tell(holder, session.id(), take.previous(), lease.token()).thenApply(answered -> take);
    }

    /**
     * Won: what the mailbox held in Redis for the ID while nobody had it goes into the local
     * mailbox now, before the 101 (after which the socket's first delivery writes it). From the
     * lease on, appends for the ID are refused and sent here instead, so nothing is left behind.
     */
    private CompletionStage<IdDirectory.Take> drainIfWon(PeerId id, IdDirectory.Take take) {
        if (mailbox == null || take.outcome() == IdDirectory.Taken.TAKEN) {
            return CompletableFuture.completedFuture(take);
        }
        return mailbox.drain(id).thenApply(drained -> take);
    }

    /** A socket on this node that a newer one replaced: its lease passes to the newcomer, never to be released. */
    private void letGo(PeerSession displaced) {
        Lease old = leases.get(displaced.id());
        if (old != null && old.session() == displaced) {
            leases.remove(displaced.id(), old);
        }
        displaced.close(CloseReason.REPLACED);
    }

    /**
     * A newcomer on another node took over the lease {@code token}: close its socket here with
     * 4410, if it is still here. True when no socket holds the ID on this node any more.
     */
    boolean letGo(PeerId id, byte[] token) {
        Lease lease = leases.get(id);
        if (lease != null && Arrays.equals(lease.token(), token) && leases.remove(id, lease)) {
            lease.session().close(CloseReason.REPLACED);
        }
        return local.find(id) == null;
    }

    private ClaimResult settle(PeerSession session, Lease lease, IdDirectory.Take take, Throwable failure,
            boolean replacedHere) {
        if (failure != null) {
            local.release(session);
            log.debug("peer={} claim failed: {}", session.id(), failure.toString());
            // A timed-out SET may still have landed; take it back rather than block the ID for a TTL.
            directory.release(lease.key(), lease.token());
            return ClaimResult.UNAVAILABLE;
        }
        if (take.outcome() == IdDirectory.Taken.TAKEN) {
            local.release(session);
            return ClaimResult.TAKEN;
        }
        leases.put(session.id(), lease);
        takeovers.heldHere(session.id());
        // The socket may have closed while Redis answered; its release found no lease to free.
        if (local.find(session.id()) != session && leases.remove(session.id(), lease)) {
            directory.release(lease.key(), lease.token());
        }
        return replacedHere || take.outcome() == IdDirectory.Taken.REPLACED ? ClaimResult.REPLACED
                : ClaimResult.CLAIMED;
    }

    void release(PeerSession session) {
        local.release(session);
        Lease lease = leases.get(session.id());
        if (lease != null && lease.session() == session && leases.remove(session.id(), lease) && !leaving) {
            directory.release(lease.key(), lease.token()).whenComplete((freed, failure) -> {
                if (failure != null) {
                    log.debug("peer={} lease left to expire: {}", session.id(), failure.toString());
                }
            });
        }
    }

    /**
     * Stops releasing leases one by one, waits (bounded) for the claims in flight, and hands over
     * every lease held, for one batch release.
     */
    List<Lease> leave(long waitMillis) {
        leaving = true;
        try {
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // A claim Redis does not answer is not ours to wait for; its lease, if any, expires.
        }
        List<Lease> held = new ArrayList<>(leases.values());
        leases.clear();
        return held;
    }
}
