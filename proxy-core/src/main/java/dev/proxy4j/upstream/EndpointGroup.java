package dev.proxy4j.upstream;

import dev.proxy4j.time.Ticker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live set of an upstream's endpoints, each with its {@link EndpointState}: members may be
 * added, removed, drained, re-weighted and marked healthy or unhealthy at run time, from any
 * thread, while requests are being balanced over them (Envoy's and Armeria's endpoint groups are
 * the models).
 *
 * <p>Reads are lock-free: {@link #snapshot()} is one volatile read of an immutable
 * {@link Snapshot}, which is what selectors work from. Changes are rare; they take a lock, build a
 * new snapshot, publish it, and then tell the {@linkplain #addListener listeners}. A selection
 * that began on the previous snapshot may still go to a member that was just removed; every
 * selection that begins after a change returns sees it.
 *
 * <p>Members are told apart by scheme, host and port, whatever their weight: {@code remove},
 * {@code drain}, {@code setWeight} and {@code setHealth} find the member for the same server as
 * the endpoint they are given.
 */
public final class EndpointGroup {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointGroup.class);

    /** Told of each change to the group. */
    @FunctionalInterface
    public interface Listener {
        /**
         * Called once per change, with the snapshot it made, on the thread that made it (for a
         * drained member's removal, the thread that completed its last selection), in the order
         * of the changes. Writers to the group wait meanwhile: be quick, and do not change the group.
         */
        void onChange(Snapshot snapshot);
    }

    private final Ticker ticker;
    private final Object lock = new Object();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Draining members still in the group, and the stage each drain returned; guarded by {@link #lock}. */
    private final Map<EndpointState, CompletableFuture<Void>> drains = new HashMap<>();
    private final boolean panicRouting;
    private final int panicThresholdPercent;
    private volatile Snapshot snapshot;

    private EndpointGroup(Collection<Endpoint> endpoints, Ticker ticker, boolean panicRouting, int panicThresholdPercent) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.panicRouting = panicRouting;
        this.panicThresholdPercent = panicThresholdPercent;
        List<EndpointState> members = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            Objects.requireNonNull(endpoint, "endpoint");
            if (indexOf(members, endpoint) >= 0) {
                throw new IllegalArgumentException("endpoint: \"" + endpoint + "\" (expected: each endpoint once)");
            }
            members.add(new EndpointState(endpoint, ticker, true));
        }
        this.snapshot = new Snapshot(0, members, panicRouting, panicThresholdPercent);
    }

    /** A group of {@code endpoints}, in that order, timing latencies with the system ticker. */
    public static EndpointGroup of(Collection<Endpoint> endpoints) {
        return of(endpoints, Ticker.system());
    }

    /**
     * A group of {@code endpoints}, in that order, timing latencies with {@code ticker}. It may be
     * empty; selections then find nothing until a member is added.
     *
     * @throws IllegalArgumentException when two endpoints are the same server
     */
    public static EndpointGroup of(Collection<Endpoint> endpoints, Ticker ticker) {
        return of(endpoints, ticker, true);
    }

    /**
     * As {@link #of(Collection, Ticker)}; {@code panicRouting} says what is selectable when no
     * member is healthy: every member that is not draining (true, Envoy's panic routing), or none
     * (false: requests get 503). See {@link Snapshot#selectable()}.
     */
    public static EndpointGroup of(Collection<Endpoint> endpoints, Ticker ticker, boolean panicRouting) {
        return of(endpoints, ticker, panicRouting, 0);
    }

    /**
     * As {@link #of(Collection, Ticker, boolean)}, with panic routing from {@code panicThresholdPercent}
     * (0..100) up: when fewer than that share of the members that are not draining are in rotation,
     * every such member is selectable (Envoy's {@code healthy_panic_threshold}, 50% there). 0, the
     * default, panics only when none is in rotation. Only with {@code panicRouting}.
     *
     * @throws IllegalArgumentException when the threshold is outside 0..100, or above 0 without panic routing
     */
    public static EndpointGroup of(Collection<Endpoint> endpoints, Ticker ticker, boolean panicRouting,
            int panicThresholdPercent) {
        if (panicThresholdPercent < 0 || panicThresholdPercent > 100) {
            throw new IllegalArgumentException("panicThreshold: " + panicThresholdPercent + " (expected: 0..100)");
        }
        if (panicThresholdPercent > 0 && !panicRouting) {
            throw new IllegalArgumentException("panicThreshold: " + panicThresholdPercent
                    + " (expected: 0 when panicRouting is false)");
        }
        return new EndpointGroup(List.copyOf(endpoints), ticker, panicRouting, panicThresholdPercent);
    }

    /** The share of members in rotation below which every member is selectable; 0: only when none is. */
    public int panicThresholdPercent() {
        return panicThresholdPercent;
    }

    /** Whether the group routes to every member when none is healthy (see {@link Snapshot#selectable()}). */
    public boolean panicRouting() {
        return panicRouting;
    }

    /** The group's time source: latencies, and when members became ready ({@link EndpointState#readySinceNanos()}). */
    public Ticker ticker() {
        return ticker;
    }

    /** The members as they are now. */
    public Snapshot snapshot() {
        return snapshot;
    }

    /** The members' endpoints as they are now, in the order they joined (draining ones included). */
    public List<Endpoint> endpoints() {
        return snapshot.endpoints();
    }

    /** The state of the member for the same server as {@code endpoint}, if there is one. */
    public Optional<EndpointState> state(Endpoint endpoint) {
        List<EndpointState> members = snapshot.members();
        int index = indexOf(members, endpoint);
        return index < 0 ? Optional.empty() : Optional.of(members.get(index));
    }

    /**
     * Adds {@code endpoint} as a healthy member, last in order.
     *
     * @return false, changing nothing, when the group has a member for the same server already
     *     (draining or not; {@link #setWeight} changes a weight)
     */
    public boolean add(Endpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        synchronized (lock) {
            List<EndpointState> members = new ArrayList<>(snapshot.members());
            if (indexOf(members, endpoint) >= 0) {
                return false;
            }
            members.add(new EndpointState(endpoint, ticker, false));
            publish(members);
            return true;
        }
    }

    /**
     * Removes the member for the same server as {@code endpoint} at once: it is not selected
     * again, and its selections in flight finish as they will. A drain of it in progress completes.
     *
     * @return false when there was no such member
     */
    public boolean remove(Endpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        synchronized (lock) {
            List<EndpointState> members = new ArrayList<>(snapshot.members());
            int index = indexOf(members, endpoint);
            if (index < 0) {
                return false;
            }
            removeAt(members, index);
            return true;
        }
    }

    /**
     * Stops selecting the member for the same server as {@code endpoint} (even when no member is
     * healthy), lets its selections in flight finish, and removes it once none is left: at once
     * when it has none. The stage completes when it is removed, on the thread that removed it
     * (see {@link Listener#onChange}); it is already complete when there is no such member. A
     * second drain of the same member returns the same stage.
     */
    public CompletionStage<Void> drain(Endpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        EndpointState state;
        CompletableFuture<Void> drained;
        synchronized (lock) {
            List<EndpointState> members = snapshot.members();
            int index = indexOf(members, endpoint);
            if (index < 0) {
                return CompletableFuture.completedFuture(null);
            }
            state = members.get(index);
            CompletableFuture<Void> earlier = drains.get(state);
            if (earlier != null) {
                return earlier.minimalCompletionStage();
            }
            drained = new CompletableFuture<>();
            drains.put(state, drained);
            state.draining();
            publish(new ArrayList<>(members));
        }
        // After publishing, no new selection can begin on it; one that read the snapshot before may still.
        if (state.inFlight() == 0) {
            removeDrained(state);
        }
        return drained.minimalCompletionStage();
    }

    /**
     * Gives the member for the same server as {@code endpoint} a new weight (1..1000), keeping its
     * statistics and the selections in flight.
     *
     * @return false when there is no such member
     */
    public boolean setWeight(Endpoint endpoint, int weight) {
        Objects.requireNonNull(endpoint, "endpoint");
        if (weight < Endpoint.MIN_WEIGHT || weight > Endpoint.MAX_WEIGHT) {
            throw new IllegalArgumentException(
                    "weight: " + weight + " (expected: " + Endpoint.MIN_WEIGHT + ".." + Endpoint.MAX_WEIGHT + ")");
        }
        synchronized (lock) {
            List<EndpointState> members = snapshot.members();
            int index = indexOf(members, endpoint);
            if (index < 0) {
                return false;
            }
            EndpointState state = members.get(index);
            if (state.endpoint().weight() != weight) {
                state.endpoint(new Endpoint(state.endpoint().uri(), weight, state.endpoint().address()));
                publish(new ArrayList<>(members));
            }
            return true;
        }
    }

    /**
     * Marks the member for the same server as {@code endpoint} healthy or unhealthy: what a health
     * checker calls (outlier detection ejects instead, see {@link EndpointState#isEjected()}). Unhealthy members are not selected while another
     * member is healthy (see {@link Snapshot#selectable()}).
     *
     * @return false when there is no such member
     */
    public boolean setHealth(Endpoint endpoint, EndpointState.Health health) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(health, "health");
        synchronized (lock) {
            List<EndpointState> members = snapshot.members();
            int index = indexOf(members, endpoint);
            if (index < 0) {
                return false;
            }
            EndpointState state = members.get(index);
            if (state.health() != health) {
                state.health(health);
                publish(new ArrayList<>(members));
            }
            return true;
        }
    }

    /**
     * Each member for the same server as a member of {@code previous} that is not draining takes
     * over that member's health, health-check counter, slow-start position, runs of failures and
     * latency, and with {@code ejections} its ejection (see {@link Upstream#carryStateFrom}); then
     * the group is published once with the change.
     *
     * @return how many members took state over
     */
    int carryFrom(EndpointGroup previous, boolean ejections) {
        Objects.requireNonNull(previous, "previous");
        if (previous == this) {
            return 0;
        }
        List<EndpointState> before = previous.snapshot().members();
        synchronized (lock) {
            List<EndpointState> members = snapshot.members();
            int carried = 0;
            for (EndpointState member : members) {
                int index = indexOf(before, member.endpoint());
                if (index >= 0 && !before.get(index).isDraining()) {
                    member.carryFrom(before.get(index), ejections);
                    carried++;
                }
            }
            if (carried > 0) {
                publish(new ArrayList<>(members));
            }
            return carried;
        }
    }

    /** Tells {@code listener} of every later change; it is not called for the members as they are. */
    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Stops telling {@code listener}; false when it was not listening. */
    public boolean removeListener(Listener listener) {
        return listeners.remove(listener);
    }

    /** Publishes the members as they are, after an ejection changed one of them in place. */
    void republish() {
        synchronized (lock) {
            publish(new ArrayList<>(snapshot.members()));
        }
    }

    /** Called when a selection of {@code state} completes and leaves none in flight. */
    void idle(EndpointState state) {
        if (state.isDraining()) {
            removeDrained(state);
        }
    }

    private void removeDrained(EndpointState state) {
        synchronized (lock) {
            List<EndpointState> members = new ArrayList<>(snapshot.members());
            int index = members.indexOf(state);
            if (index >= 0) {
                removeAt(members, index);
            }
        }
    }

    /** Under {@link #lock}. */
    private void removeAt(List<EndpointState> members, int index) {
        EndpointState removed = members.remove(index);
        publish(members);
        CompletableFuture<Void> drained = drains.remove(removed);
        if (drained != null) {
            drained.complete(null);
        }
    }

    /** Under {@link #lock}. */
    private void publish(List<EndpointState> members) {
        Snapshot next = new Snapshot(snapshot.version() + 1, members, panicRouting, panicThresholdPercent);
        snapshot = next;
        for (Listener listener : listeners) {
            try {
                listener.onChange(next);
            } catch (RuntimeException e) {
                LOG.warn("endpoint group listener {} failed on change {}", listener, next.version(), e);
            }
        }
    }

    private static int indexOf(List<EndpointState> members, Endpoint endpoint) {
        String key = endpoint.key();
        for (int i = 0; i < members.size(); i++) {
            Endpoint member = members.get(i).endpoint();
            if ((member.uri().equals(endpoint.uri()) && Objects.equals(member.address(), endpoint.address()))
                    || member.key().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "EndpointGroup" + snapshot.members();
    }

    /**
     * The members of a group at one moment: immutable, so a selector may work out what it needs
     * from one (a schedule, an array) and keep it until {@link #version()} moves on.
     */
    public static final class Snapshot {
        private final long version;
        private final List<EndpointState> members;
        private final List<EndpointState> selectable;
        private final List<Endpoint> endpoints;
        private final boolean panic;

        Snapshot(long version, List<EndpointState> members, boolean panicRouting, int panicThresholdPercent) {
            this.version = version;
            this.members = List.copyOf(members);
            List<EndpointState> healthy = new ArrayList<>();
            List<EndpointState> notDraining = new ArrayList<>();
            List<Endpoint> endpoints = new ArrayList<>();
            for (EndpointState member : members) {
                endpoints.add(member.endpoint());
                if (!member.isDraining()) {
                    notDraining.add(member);
                    if (member.isSelectable()) {
                        healthy.add(member);
                    }
                }
            }
            // Below the threshold (a share of the members not draining), panic; with 0 only when none is healthy.
            this.panic = !notDraining.isEmpty() && (healthy.isEmpty()
                    || healthy.size() * 100L < (long) panicThresholdPercent * notDraining.size());
            this.selectable = List.copyOf(!panic ? healthy : panicRouting ? notDraining : List.of());
            this.endpoints = List.copyOf(endpoints);
        }

        /** Counts the group's changes: 0 for the members it was made with, one more per change. */
        public long version() {
            return version;
        }

        /** Every member in the order they joined, draining and unhealthy ones included. */
        public List<EndpointState> members() {
            return members;
        }

        /** The members' endpoints, in the same order. */
        public List<Endpoint> endpoints() {
            return endpoints;
        }

        /**
         * The members a selector may choose from, in order: the healthy ones that are neither
         * ejected nor draining. When none is, and the group routes in panic (the default), every
         * member that is not draining: as Envoy's panic routing and nginx (which tries all servers
         * again once every one has failed), a health checker that marks everything down should not
         * take the whole upstream down with it, and a request that goes to a sick backend may
         * still succeed where a 503 never will. Without panic routing, none then (the requests get
         * 503, as HAProxy's backend with no server up). Draining members are never selectable.
         */
        public List<EndpointState> selectable() {
            return selectable;
        }

        /**
         * True when no member that is not draining is healthy and in rotation, or (with a panic
         * threshold, {@link EndpointGroup#of(Collection, Ticker, boolean, int)}) fewer than the
         * threshold's share of them: {@link #selectable()} is then every such member, or none
         * without panic routing.
         */
        public boolean isPanic() {
            return panic;
        }

        @Override
        public String toString() {
            return "Snapshot[version=" + version + ", members=" + members + (panic ? ", panic" : "") + ']';
        }
    }
}
