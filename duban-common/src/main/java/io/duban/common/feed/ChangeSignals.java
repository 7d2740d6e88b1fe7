package io.duban.common.feed;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The fingerprints of a change feed's keys (a unit's list, a person's inbox), kept in memory between
 * changes, so that "has anything changed?" needs no query while nothing has.
 *
 * <p>A key's cached fingerprint is dropped when the database says, at commit, that the key changed:
 * the feed's triggers {@code NOTIFY} a channel with the key, and this listens on its own connection.
 * Any transaction committed by this process drops every cached fingerprint too (its own writes are
 * seen at once, not a notification later). While the connection is down nothing is cached: every
 * poll asks the database, so a lost notification can never leave a stale answer behind.
 */
public final class ChangeSignals implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ChangeSignals.class);

    private record Cached(long epoch, long generation, String fingerprint) {
    }

    private final String channel;
    private final String url;
    private final String user;
    private final String password;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();
    private final AtomicLong epoch = new AtomicLong();
    private volatile boolean listening;
    private volatile boolean stopped;
    private Thread thread;

    public ChangeSignals(String channel, String url, String user, String password) {
        if (!channel.matches("[a-z_]+")) {
            throw new IllegalArgumentException("channel " + channel);
        }
        this.channel = channel;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public synchronized void start() {
        if (thread == null) {
            thread = new Thread(this::listen, "change-signals-" + channel);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** The key's fingerprint: the cached one while nothing has changed, else {@code compute}'s answer. */
    public String fingerprint(String key, Supplier<String> compute) {
        long e = epoch.get();
        long g = generation(key).get();
        Cached c = cache.get(key);
        if (listening && c != null && c.epoch == e && c.generation == g) {
            return c.fingerprint;
        }
        String fresh = compute.get();
        // Keep it only if nothing changed while it was computed.
        if (listening && epoch.get() == e && generation(key).get() == g) {
            cache.put(key, new Cached(e, g, fresh));
        }
        return fresh;
    }

    /** A transaction of this process has ended: what it wrote is visible now. */
    public void localChange() {
        epoch.incrementAndGet();
    }

    public boolean listening() {
        return listening;
    }

    private AtomicLong generation(String key) {
        return generations.computeIfAbsent(key, k -> new AtomicLong());
    }

    private void listen() {
        long backoff = 250;
        while (!stopped) {
            try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
                s.execute("LISTEN " + channel);
                PGConnection pg = c.unwrap(PGConnection.class);
                // Anything cached before this connection listened may have missed a notification.
                forgetAll();
                listening = true;
                backoff = 250;
                while (!stopped) {
                    PGNotification[] ns = pg.getNotifications(5000);
                    if (ns != null) {
                        for (PGNotification n : ns) {
                            generation(n.getParameter()).incrementAndGet();
                            cache.remove(n.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                if (!stopped) {
                    LOG.warnf("change signals on %s lost (%s); polls ask the database until they are back", channel,
                            e.getMessage());
                }
            } finally {
                listening = false;
                forgetAll();
            }
            pause(backoff);
            backoff = Math.min(backoff * 2, 10_000);
        }
    }

    private void forgetAll() {
        epoch.incrementAndGet();
        cache.clear();
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    @Override
    public void close() {
        stopped = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
