package io.duban.task.relay;

import io.agroal.api.AgroalDataSource;
import io.duban.common.lifecycle.Draining;
import io.duban.common.observe.AfterCommit;
import io.duban.common.observe.TraceParent;
import io.duban.common.time.Backoff;
import io.duban.common.web.LazyHttpClient;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sends the transactional outbox to notification-service ({@code POST /api/v1/events}), at least once
 * and in order per item.
 *
 * <p>A round (one database transaction) claims up to {@code batch-size} due rows with
 * {@code FOR UPDATE SKIP LOCKED}, only the earliest waiting row of each item (its head); with batch
 * intake it also locks the rows that follow each head (up to {@code batch-size} more), which no other
 * relay may claim while the head waits. It sends each item's rows in order inside one batch (the
 * receiver applies a batch in order, all or nothing), the items spread over up to batch-parallelism
 * batches at once to {@code /api/v1/events/batch}; a batch not answered 2xx has its heads sent one
 * request each in parallel and its followers left for a later round (as all heads are, with batch
 * intake off). It marks the rows answered with a 2xx as delivered and gives the failed ones their next
 * attempt time (exponential backoff), then commits. Several instances on one database therefore never
 * send the same row at the same time, and an item's row is sent only with or after the one before it.
 * An item whose dispatch wrote one event per unit thus reaches the receiver in one round, not one round
 * per unit. A relay that dies
 * mid-round (kill -9) leaves its rows locked only until PostgreSQL sees the connection go: its
 * transaction rolls back and the rows are sent again, which the consumer absorbs by event id. On
 * SIGTERM ({@link Draining}) no new round starts; the round under way finishes and commits.
 *
 * <p>The relay runs on a thread of its own ({@code outbox-relay}, started with the service unless the
 * relay or the scheduler is off): a tick, then, if it sent nothing, a wait of at most
 * {@code interval} that a commit writing outbox rows in this process cuts short
 * ({@link #wakeAfterCommit}). Quarkus' scheduler checks its triggers once a second, so an interval
 * below that was a second in fact; and an event no longer waits for the next tick when this instance
 * wrote it.
 *
 * <p>Each event sent is a span in the trace of the request that wrote it (the row's trace_parent) and
 * carries that span as its traceparent (the header of a single POST, the element's field in a batch),
 * so that notification-service's work joins the trace.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    static final String EVENTS_PATH = "/api/v1/events";
    static final String BATCH_PATH = EVENTS_PATH + "/batch";
    /** A round is split into parallel batches only where each keeps at least this many rows. */
    private static final int MIN_BATCH = 10;
    private static final int MAX_ERROR_LENGTH = 500;
    /** The first tick waits this long after start-up (or for the first commit with events). */
    private static final Duration STARTUP_DELAY = Duration.ofSeconds(5);
    /** After a tick that failed, the loop waits at least this long (unless a commit wakes it). */
    private static final Duration FAILED_TICK_WAIT = Duration.ofSeconds(1);
    /** The key of the current transaction's wake-up, so that it registers once. */
    private static final Object WAKE = new Object();
    /** The relay's waits have no jitter (its rows are retried item by item in order anyway). */
    private static final RandomGenerator NO_JITTER = () -> 0L;

    /** Due rows that are the earliest waiting row of their item, oldest first, none another relay holds. */
    private static final String CLAIM = """
            SELECT o.id, o.item_id, o.attempts, o.payload::text, o.trace_parent
            FROM outbox_event o
            WHERE o.published_at IS NULL
              AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)
              AND NOT EXISTS (SELECT 1 FROM outbox_event p
                              WHERE p.item_id = o.item_id AND p.published_at IS NULL AND p.seq < o.seq)
            ORDER BY o.seq
            LIMIT ?
            FOR UPDATE OF o SKIP LOCKED""";

    /**
     * The waiting rows after the claimed heads of their items, oldest first: as LIMIT cuts in seq
     * order, each item gets a prefix of its rows. Nobody else holds them (another relay may only claim
     * an item's head), so FOR UPDATE does not wait.
     */
    private static final String FOLLOWERS = """
            SELECT o.id, o.item_id, o.attempts, o.payload::text, o.trace_parent
            FROM outbox_event o
            WHERE o.item_id = ANY (?) AND o.published_at IS NULL AND o.id <> ALL (?)
            ORDER BY o.seq
            LIMIT ?
            FOR UPDATE OF o""";

    private static final String DELIVERED = """
            UPDATE outbox_event SET published_at = ?, last_attempt_at = ?, attempts = attempts + 1,
                   next_attempt_at = NULL, last_error = NULL
            WHERE id = ANY (?)""";

    private static final String FAILED = """
            UPDATE outbox_event SET last_attempt_at = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ?
            WHERE id = ?""";

    private final RelayConfig config;
    private final RelayCredentials credentials;
    private final AgroalDataSource dataSource;
    private final Clock clock;
    private final Draining draining;
    private final LazyHttpClient http;
    private final URI target;
    private final URI batchTarget;
    private final Tracer tracer;

    private final boolean schedulerEnabled;
    private final AfterCommit afterCommit;
    private final Object signal = new Object();
    private boolean woken;
    private volatile Thread loop;

    private final AtomicLong deliveredTotal = new AtomicLong();
    private final AtomicLong failedTotal = new AtomicLong();
    private volatile Instant lastTickAt;
    private volatile boolean warnedNoCredentials;

    public OutboxRelay(RelayConfig config, RelayCredentials credentials, AgroalDataSource dataSource, Clock clock,
            Draining draining, Tracer tracer, AfterCommit afterCommit,
            @ConfigProperty(name = "quarkus.scheduler.enabled", defaultValue = "true") boolean schedulerEnabled) {
        this.config = config;
        this.afterCommit = afterCommit;
        this.schedulerEnabled = schedulerEnabled;
        this.draining = draining;
        this.tracer = tracer;
        this.credentials = credentials;
        this.dataSource = dataSource;
        this.clock = clock;
        this.target = URI.create(config.notificationUrl().toString().replaceAll("/+$", "") + EVENTS_PATH);
        this.batchTarget = URI.create(config.notificationUrl().toString().replaceAll("/+$", "") + BATCH_PATH);
        // Built by the relay's first send, off the start-up path (LazyHttpClient).
        this.http = new LazyHttpClient(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build());
    }

    /** What one tick did. */
    public record Tick(int delivered, int failed) {

        public int attempted() {
            return delivered + failed;
        }
    }

    /** traceParent: the trace the event was written in (V13), null for rows written outside one. */
    private record Claimed(UUID id, UUID itemId, int attempts, String payload, String traceParent) {
    }

    private record Outcome(Claimed row, boolean delivered, String error) {
    }

    void start(@Observes StartupEvent started) {
        if (!config.enabled() || !schedulerEnabled) {
            return;
        }
        loop = new Thread(this::loop, "outbox-relay");
        loop.setDaemon(true);
        loop.start();
    }

    void stop(@Observes ShutdownEvent stopped) {
        Thread running = loop;
        if (running != null) {
            running.interrupt();
        }
    }

    /** Ticks while there is work, waits for a commit or the interval when there is none, until shutdown. */
    private void loop() {
        awaitWork(STARTUP_DELAY);
        while (!draining.stopping() && !Thread.currentThread().isInterrupted()) {
            boolean busy = false;
            Duration wait = config.interval();
            try {
                Tick t = draining.unlessStopping(this::tick).orElse(new Tick(0, 0));
                busy = t.delivered() > 0 && t.failed() == 0;
            } catch (RuntimeException e) {
                // The database or the network is away; the next tick tries again and nothing is lost
                // (at most once a second, so that an outage does not flood the log).
                LOG.warnf("outbox relay tick failed: %s", e.toString());
                wait = wait.compareTo(FAILED_TICK_WAIT) < 0 ? FAILED_TICK_WAIT : wait;
            }
            if (!busy) {
                awaitWork(wait);
            }
        }
    }

    /** Waits until {@link #wake} or the time is up. */
    private void awaitWork(Duration atMost) {
        synchronized (signal) {
            if (!woken) {
                try {
                    signal.wait(Math.max(1, atMost.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            woken = false;
        }
    }

    private void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /**
     * Wakes the relay's loop once the current transaction commits (it wrote outbox rows), at most once
     * per transaction; nothing when the loop does not run (tests tick themselves).
     */
    public void wakeAfterCommit() {
        if (loop != null) {
            afterCommit.runOnce(WAKE, this::wake);
        }
    }

    @Scheduled(every = "1h", delayed = "10m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledPurge() {
        try {
            purge();
        } catch (RuntimeException e) {
            LOG.warnf("outbox purge failed: %s", e.toString());
        }
    }

    /**
     * Rounds until nothing is due, a round had a failure (the receiver is unwell: let the backoff
     * work), {@code max-per-tick} attempts were made or the service is shutting down (the round under
     * way commits; the rest waits for another instance or the restart). Tests call it directly (no
     * scheduler in %test).
     */
    public Tick tick() {
        lastTickAt = Instant.now();
        if (!credentials.configured()) {
            if (!warnedNoCredentials) {
                warnedNoCredentials = true;
                LOG.warn("outbox relay: no duban.relay.token or duban.relay.signing-key-location; events wait in the outbox");
            }
            return new Tick(0, 0);
        }
        int delivered = 0;
        int failed = 0;
        while (delivered + failed < config.maxPerTick() && !draining.stopping()) {
            Tick round = QuarkusTransaction.requiringNew().call(this::round);
            delivered += round.delivered();
            failed += round.failed();
            if (round.attempted() == 0 || round.failed() > 0) {
                break;
            }
        }
        deliveredTotal.addAndGet(delivered);
        failedTotal.addAndGet(failed);
        return new Tick(delivered, failed);
    }

    private Tick round() {
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            List<Claimed> heads = claim(c, now);
            if (heads.isEmpty()) {
                return new Tick(0, 0);
            }
            String token = credentials.token().orElseThrow();
            List<CompletableFuture<List<Outcome>>> sending = new ArrayList<>();
            if (config.batchIntake()) {
                List<List<Claimed>> items = withFollowers(c, heads);
                int rows = items.stream().mapToInt(List::size).sum();
                // Up to batch-parallelism batches of whole items, none smaller than MIN_BATCH rows unless the round is.
                int parts = Math.max(1, config.batchParallelism());
                int size = Math.max(MIN_BATCH, (rows + parts - 1) / parts);
                List<Claimed> batch = new ArrayList<>();
                for (List<Claimed> item : items) {
                    batch.addAll(item);
                    if (batch.size() >= size) {
                        sending.add(sendBatch(batch, token));
                        batch = new ArrayList<>();
                    }
                }
                if (!batch.isEmpty()) {
                    sending.add(sendBatch(batch, token));
                }
            } else {
                sending.add(sendEach(heads, token));
            }
            List<Outcome> outcomes = sending.stream().flatMap(f -> f.join().stream()).toList();
            Instant done = clock.instant();
            return mark(c, outcomes, done);
        } catch (SQLException e) {
            throw new IllegalStateException("outbox relay: " + e.getMessage(), e);
        }
    }

    private List<Claimed> claim(Connection c, Instant now) throws SQLException {
        List<Claimed> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(CLAIM)) {
            s.setObject(1, at(now));
            s.setInt(2, config.batchSize());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new Claimed(r.getObject(1, UUID.class), r.getObject(2, UUID.class), r.getInt(3),
                            r.getString(4), r.getString(5)));
                }
            }
        }
        return rows;
    }

    /** Each head with the rows that follow it in its item, in order; the heads keep their order. */
    private List<List<Claimed>> withFollowers(Connection c, List<Claimed> heads) throws SQLException {
        Map<UUID, List<Claimed>> items = new LinkedHashMap<>();
        for (Claimed head : heads) {
            items.put(head.itemId(), new ArrayList<>(List.of(head)));
        }
        try (PreparedStatement s = c.prepareStatement(FOLLOWERS)) {
            s.setArray(1, c.createArrayOf("uuid", items.keySet().toArray()));
            s.setArray(2, c.createArrayOf("uuid", heads.stream().map(Claimed::id).toArray()));
            s.setInt(3, config.batchSize());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Claimed row = new Claimed(r.getObject(1, UUID.class), r.getObject(2, UUID.class), r.getInt(3),
                            r.getString(4), r.getString(5));
                    items.get(row.itemId()).add(row);
                }
            }
        }
        return List.copyOf(items.values());
    }

    /**
     * One POST, in a span that is a child of the request that wrote the event; java.net.http is not
     * instrumented, so the span's traceparent is set on the request here.
     */
    private CompletableFuture<Outcome> send(Claimed row, String token) {
        Span span = sendSpan(row, target);
        return http.get().sendAsync(post(target, row.payload(), token, TraceParent.of(Context.root().with(span))),
                        HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> response.statusCode() / 100 == 2
                        ? new Outcome(row, true, null)
                        : new Outcome(row, false, "HTTP " + response.statusCode() + ": " + response.body()))
                .exceptionally(e -> new Outcome(row, false, (e.getCause() != null ? e.getCause() : e).toString()))
                .whenComplete((outcome, e) -> {
                    if (outcome != null && !outcome.delivered()) {
                        span.setStatus(StatusCode.ERROR, truncate(outcome.error()));
                    }
                    span.end();
                });
    }

    /** A POST to notification-service; the traceparent header only when there is one (a single event's). */
    private HttpRequest post(URI to, String body, String token, String traceparent) {
        HttpRequest.Builder b = HttpRequest.newBuilder(to)
                .timeout(config.requestTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + token);
        if (traceparent != null) {
            b.header(TraceParent.HEADER, traceparent);
        }
        return b.POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** The span of one event's sending, a child of the request that wrote the event (the row's trace_parent). */
    private Span sendSpan(Claimed row, URI to) {
        return tracer.spanBuilder("outbox send").setSpanKind(SpanKind.CLIENT)
                .setParent(TraceParent.parent(row.traceParent()))
                .setAttribute("duban.event.id", row.id().toString())
                .setAttribute("duban.item.id", row.itemId().toString())
                .setAttribute("http.request.method", "POST")
                .setAttribute("url.full", to.toString())
                .startSpan();
    }

    /** The first row of each item among the rows (which hold each item's rows in order). */
    private static List<Claimed> heads(List<Claimed> rows) {
        Set<UUID> seen = new HashSet<>();
        return rows.stream().filter(r -> seen.add(r.itemId())).toList();
    }

    /** One request per row, in parallel. */
    private CompletableFuture<List<Outcome>> sendEach(List<Claimed> rows, String token) {
        List<CompletableFuture<Outcome>> sending = rows.stream().map(r -> send(r, token)).toList();
        return CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new))
                .thenApply(done -> sending.stream().map(CompletableFuture::join).toList());
    }

    /**
     * The rows (whole items, each item's rows in order) as one batch: all delivered on a 2xx, else each
     * item's head sent alone and its followers left waiting (no attempt counted). Each element carries its own trace context ({"traceparent": ..., "event": ...}): the
     * span of its sending, a child of the request that wrote it, as a single POST's header would.
     */
    private CompletableFuture<List<Outcome>> sendBatch(List<Claimed> rows, String token) {
        if (rows.size() == 1) {
            return sendEach(rows, token);
        }
        List<Span> spans = new ArrayList<>(rows.size());
        StringBuilder body = new StringBuilder(rows.size() * 1024).append("{\"events\":[");
        for (int i = 0; i < rows.size(); i++) {
            Span span = sendSpan(rows.get(i), batchTarget);
            spans.add(span);
            String traceparent = TraceParent.of(Context.root().with(span));
            body.append(i == 0 ? "{" : ",{");
            if (traceparent != null) {
                body.append("\"traceparent\":\"").append(traceparent).append("\",");
            }
            body.append("\"event\":").append(rows.get(i).payload()).append('}');
        }
        body.append("]}");
        return http.get().sendAsync(post(batchTarget, body.toString(), token, null), HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    boolean ok = error == null && response.statusCode() / 100 == 2;
                    String why = ok ? null : error != null ? error.toString() : "HTTP " + response.statusCode();
                    for (Span span : spans) {
                        if (!ok) {
                            span.setStatus(StatusCode.ERROR, truncate("batch refused, sent alone: " + why));
                        }
                        span.end();
                    }
                    if (ok) {
                        return rows.stream().map(r -> new Outcome(r, true, null)).toList();
                    }
                    LOG.debugf("a batch of %d events failed (%s); sending them one by one", rows.size(), why);
                    return null;
                })
                .thenCompose(outcomes -> outcomes != null ? CompletableFuture.completedFuture(outcomes)
                        : sendEach(heads(rows), token));
    }

    private Tick mark(Connection c, List<Outcome> outcomes, Instant now) throws SQLException {
        List<UUID> delivered = outcomes.stream().filter(Outcome::delivered).map(o -> o.row().id()).toList();
        if (!delivered.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(DELIVERED)) {
                Array ids = c.createArrayOf("uuid", delivered.toArray());
                s.setObject(1, at(now));
                s.setObject(2, at(now));
                s.setArray(3, ids);
                s.executeUpdate();
            }
        }
        int failed = 0;
        try (PreparedStatement s = c.prepareStatement(FAILED)) {
            for (Outcome o : outcomes) {
                if (o.delivered()) {
                    continue;
                }
                failed++;
                Instant next = now.plus(backoff(o.row().attempts() + 1));
                s.setObject(1, at(now));
                s.setObject(2, at(next));
                s.setString(3, truncate(o.error()));
                s.setObject(4, o.row().id());
                s.addBatch();
                LOG.debugf("event %s of item %s not delivered (attempt %d), next attempt at %s: %s", o.row().id(),
                        o.row().itemId(), o.row().attempts() + 1, next, o.error());
            }
            if (failed > 0) {
                s.executeBatch();
            }
        }
        return new Tick(delivered.size(), failed);
    }

    /** The wait after the n-th failed attempt: initial × 2^(n-1), at most max-backoff, no jitter. */
    Duration backoff(int attempts) {
        return new Backoff(config.initialBackoff(), config.maxBackoff(), 0).after(attempts, NO_JITTER);
    }

    private static String truncate(String s) {
        return s == null || s.length() <= MAX_ERROR_LENGTH ? s : s.substring(0, MAX_ERROR_LENGTH);
    }

    /** Deletes delivered rows older than the retention period; returns how many. */
    public int purge() {
        Instant before = clock.instant().minus(config.retention());
        int purged = QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement s = c.prepareStatement(
                            "DELETE FROM outbox_event WHERE published_at IS NOT NULL AND published_at < ?")) {
                s.setObject(1, at(before));
                return s.executeUpdate();
            }
        });
        if (purged > 0) {
            LOG.infof("purged %d delivered outbox rows", purged);
        }
        return purged;
    }

    /** The relay's lag and trouble, as the whole database shows them (every instance's work). */
    public RelayStatus status() {
        Instant now = clock.instant();
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                long pending;
                long failing;
                Instant oldest;
                try (PreparedStatement s = c.prepareStatement("""
                        SELECT count(*), count(*) FILTER (WHERE attempts > 0), min(created_at)
                        FROM outbox_event WHERE published_at IS NULL""");
                        ResultSet r = s.executeQuery()) {
                    r.next();
                    pending = r.getLong(1);
                    failing = r.getLong(2);
                    oldest = instant(r.getObject(3, OffsetDateTime.class));
                }
                Instant lastDelivered;
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT max(published_at) FROM outbox_event WHERE published_at IS NOT NULL");
                        ResultSet r = s.executeQuery()) {
                    r.next();
                    lastDelivered = instant(r.getObject(1, OffsetDateTime.class));
                }
                String lastError = null;
                Instant nextAttempt = null;
                try (PreparedStatement s = c.prepareStatement("""
                        SELECT last_error, next_attempt_at FROM outbox_event
                        WHERE published_at IS NULL AND attempts > 0 ORDER BY last_attempt_at DESC LIMIT 1""");
                        ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        lastError = r.getString(1);
                        nextAttempt = instant(r.getObject(2, OffsetDateTime.class));
                    }
                }
                long lag = oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toSeconds());
                return new RelayStatus(config.enabled(), credentials.configured(), target.toString(), pending, failing,
                        oldest, lag, lastDelivered, lastError, nextAttempt, deliveredTotal.get(), failedTotal.get(),
                        lastTickAt);
            }
        });
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime at(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
