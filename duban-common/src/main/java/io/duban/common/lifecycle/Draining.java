package io.duban.common.lifecycle;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A service's graceful end (SIGTERM), in the order Quarkus runs it:
 *
 * <ol>
 * <li><b>Pre-shutdown</b> ({@code quarkus.shutdown.delay}): readiness reports DOWN (smallrye-health), so
 * that the load balancer stops sending requests here; requests that still come are served. The
 * schedulers (outbox relay, reminders, deliveries) claim no new work from now on: {@link #stopping()}.
 * For the last {@code duban.shutdown.refuse-before-drain} of the delay, a new request is refused with
 * a 503 problem ({@link DrainingGate}, {@link #refusingRequests()}), which a client may send again to
 * another instance: so every client still sending has heard "go elsewhere" before the drain, and none
 * is cut off when the port closes.</li>
 * <li><b>Drain</b> ({@code quarkus.shutdown.timeout}): requests in flight finish (new ones are still
 * refused); Quarkus waits until none is left, at most the timeout, then closes the HTTP server.</li>
 * <li><b>Stop</b> ({@link ShutdownEvent}): scheduled work still running (a batch claimed before the
 * signal) may finish and commit, at most {@code duban.shutdown.work-timeout}; then the database pool
 * closes.</li>
 * </ol>
 *
 * <p>Nothing claimed is held beyond the process: every claim (outbox rows, reminders, deliveries) is a
 * row lock of a transaction ({@code FOR UPDATE SKIP LOCKED}); a batch cut short rolls back when its
 * connection closes, and its rows are claimable again by any instance at once.
 */
@ApplicationScoped
public class Draining {

    private static final Logger LOG = Logger.getLogger(Draining.class);
    private static final long NOT_YET = Long.MAX_VALUE;

    private final Duration workTimeout;
    private final long refuseAfterNanos;

    /** System.nanoTime() when shutdown began; {@link #NOT_YET} while serving. */
    private final AtomicLong begunAt = new AtomicLong(NOT_YET);
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final Object idle = new Object();

    /** `duban.shutdown.*`: how long the last steps of a graceful end may take. */
    @ConfigMapping(prefix = "duban.shutdown")
    public interface Config {
        /** How long scheduled work that was running when the signal came may take to finish and commit. */
        @WithDefault("5s")
        Duration workTimeout();

        /** New requests are refused for this last part of the pre-shutdown delay (all of it if shorter). */
        @WithDefault("1s")
        Duration refuseBeforeDrain();
    }

    public Draining(@ConfigProperty(name = "quarkus.shutdown.delay") Optional<Duration> delay, Config config) {
        long delayNanos = delay.orElse(Duration.ZERO).toNanos();
        this.workTimeout = config.workTimeout();
        this.refuseAfterNanos = Math.max(0, delayNanos - config.refuseBeforeDrain().toNanos());
    }

    void preShutdown(@Observes ShutdownDelayInitiatedEvent event) {
        begin();
    }

    /** Early among the shutdown observers, so that the database pool is still open. */
    void shutdown(@Observes @Priority(1) ShutdownEvent event) {
        begin();
        awaitWork();
        LOG.infof("shutdown: %d request(s) refused while draining", refused.get());
    }

    private void begin() {
        if (begunAt.compareAndSet(NOT_YET, System.nanoTime())) {
            LOG.infof("shutting down: readiness is down, scheduled work claims nothing new, new requests are refused"
                    + " in %d ms", Duration.ofNanos(refuseAfterNanos).toMillis());
        }
    }

    /** Shutdown has begun: a scheduler claims no new work. */
    public boolean stopping() {
        return begunAt.get() != NOT_YET;
    }

    /** The end of the pre-shutdown delay is near, or past: a new request is refused with 503. */
    public boolean refusingRequests() {
        long begun = begunAt.get();
        return begun != NOT_YET && System.nanoTime() - begun >= refuseAfterNanos;
    }

    /** A request was refused (counted for the log). */
    void refused() {
        refused.incrementAndGet();
    }

    /**
     * Runs one scheduled job unless shutdown has begun, and counts it as running until it returns, so
     * that the shutdown waits for it. Empty: not run.
     */
    public <T> Optional<T> unlessStopping(Supplier<T> job) {
        running.incrementAndGet();
        try {
            if (stopping()) {
                return Optional.empty();
            }
            return Optional.ofNullable(job.get());
        } finally {
            if (running.decrementAndGet() == 0) {
                synchronized (idle) {
                    idle.notifyAll();
                }
            }
        }
    }

    /** {@link #unlessStopping(Supplier)} for a job without a result. */
    public boolean unlessStopping(Runnable job) {
        return unlessStopping(() -> {
            job.run();
            return Boolean.TRUE;
        }).isPresent();
    }

    private void awaitWork() {
        long deadline = System.nanoTime() + workTimeout.toNanos();
        synchronized (idle) {
            while (running.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warnf("%d scheduled job(s) still running after %d ms: their transactions roll back and "
                            + "their rows are claimable again", running.get(), workTimeout.toMillis());
                    return;
                }
                try {
                    idle.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
