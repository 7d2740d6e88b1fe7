package io.duban.common.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duban.common.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Idempotent creation (`Idempotency-Key`) for any resource. The key is claimed with a
 * transaction-scoped advisory lock, so a concurrent duplicate is refused at once (409) instead of
 * creating twice; the creation and the stored response commit together, so a retry after success
 * always finds the response and a failed request leaves nothing behind. Keys are scoped to the
 * caller, bound to the request's target (its path) and body, and kept {@link #KEPT}.
 *
 * <p>A service that uses it has this table in its schema (task-service: migrations V3 and V18):
 * {@code idempotency_key (caller, key, target, request_hash, status, location, etag, body, created_at)},
 * primary key (caller, key), and calls {@link #prune} from its housekeeping. Plain JDBC on the
 * transaction's connection, so that a service without JPA entities can use it too.
 */
@ApplicationScoped
public class IdempotencyStore {

    public static final Duration KEPT = Duration.ofHours(48);

    private final Clock clock;
    private final ObjectMapper json;
    private final DataSource db;

    public IdempotencyStore(Clock clock, ObjectMapper json, DataSource db) {
        this.clock = clock;
        this.json = json;
        this.db = db;
    }

    /** What a creation answered: status, where the new resource is, its ETag and the body. */
    public record Response(int status, String location, String etag, Object body) {
    }

    /** What the first request answered (the body as JSON); `replayed` tells a retry apart. */
    public record Outcome(int status, String location, String etag, String body, boolean replayed) {
    }

    /** A key claimed for this transaction: either the first request's outcome to replay, or room to create. */
    public record Claim(String caller, String key, String target, String hash, Instant at, Outcome replay) {
    }

    /**
     * Runs the creation once per (caller, key) in the caller's JTA transaction: a retry of the same request
     * gets the stored response, the same key for another target or body 422, a retry while the first runs 409.
     */
    @Transactional
    public Outcome create(String caller, String key, String target, Object request, Supplier<Response> creation) {
        try (Connection c = db.getConnection()) {
            Claim claim = claim(c, caller, key, target, request);
            if (claim.replay() != null) {
                return claim.replay();
            }
            return remember(c, claim, creation.get());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Claims the key on {@code c}, inside a transaction the caller commits or rolls back with the creation
     * (the lock is released then). A replay when the key holds the same request's response.
     */
    public Claim claim(Connection c, String caller, String key, String target, Object request) throws SQLException {
        if (key.isEmpty() || key.length() > 200 || !key.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e)) {
            throw new ProblemException(400, "bad-idempotency-key");
        }
        try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_xact_lock(hashtext(?), hashtext(?))")) {
            s.setString(1, caller);
            s.setString(2, key);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new ProblemException(409, "idempotency-in-progress");
                }
            }
        }
        String hash = hash(request);
        Instant now = clock.instant();
        try (PreparedStatement s = c.prepareStatement("SELECT target, request_hash, status, location, etag, body, created_at"
                + " FROM idempotency_key WHERE caller = ? AND key = ?")) {
            s.setString(1, caller);
            s.setString(2, key);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next() && rs.getTimestamp(7).toInstant().isAfter(now.minus(KEPT))) {
                    if (!rs.getString(1).equals(target) || !rs.getString(2).equals(hash)) {
                        throw new ProblemException(422, "idempotency-key-reused");
                    }
                    return new Claim(caller, key, target, hash, now, new Outcome(rs.getInt(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), true));
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM idempotency_key WHERE caller = ? AND key = ?")) {
            s.setString(1, caller);
            s.setString(2, key);
            s.executeUpdate();
        }
        return new Claim(caller, key, target, hash, now, null);
    }

    /** Stores what the creation answered under the claimed key, in the same transaction; the outcome to send. */
    public Outcome remember(Connection c, Claim claim, Response created) throws SQLException {
        String body = write(created.body());
        try (PreparedStatement s = c.prepareStatement("INSERT INTO idempotency_key (caller, key, target, request_hash,"
                + " status, location, etag, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, claim.caller());
            s.setString(2, claim.key());
            s.setString(3, claim.target());
            s.setString(4, claim.hash());
            s.setInt(5, created.status());
            s.setString(6, created.location());
            s.setString(7, created.etag());
            s.setString(8, body);
            s.setTimestamp(9, Timestamp.from(claim.at()));
            s.executeUpdate();
        }
        return new Outcome(created.status(), created.location(), created.etag(), body, false);
    }

    /** Forgets keys older than {@link #KEPT}; returns how many. */
    @Transactional
    public int prune(Instant now) {
        try (Connection c = db.getConnection()) {
            return prune(c, now);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same on a connection of the caller's. */
    public int prune(Connection c, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM idempotency_key WHERE created_at < ?")) {
            s.setTimestamp(1, Timestamp.from(now.minus(KEPT)));
            return s.executeUpdate();
        }
    }

    /** The request as its canonical JSON, so that formatting differences are the same request. */
    private String hash(Object request) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(write(request).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
