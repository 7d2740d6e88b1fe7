package io.duban.common.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duban.common.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * Idempotent creation (`Idempotency-Key`) for any resource. The key is claimed with a
 * transaction-scoped advisory lock, so a concurrent duplicate is refused at once (409) instead of
 * creating twice; the creation and the stored response commit together, so a retry after success
 * always finds the response and a failed request leaves nothing behind. Keys are scoped to the
 * caller and kept {@link #KEPT}.
 *
 * <p>A service that uses it has this table in its schema (task-service: migration V3):
 * {@code idempotency_key (caller, key, request_hash, status, location, etag, body, created_at)},
 * primary key (caller, key), and calls {@link #prune} from its housekeeping.
 */
@ApplicationScoped
public class IdempotencyStore {

    public static final Duration KEPT = Duration.ofHours(48);

    private final Clock clock;
    private final ObjectMapper json;
    private final EntityManager em;

    public IdempotencyStore(Clock clock, ObjectMapper json, EntityManager em) {
        this.clock = clock;
        this.json = json;
        this.em = em;
    }

    /** What a creation answered: status, where the new resource is, its ETag and the body. */
    public record Response(int status, String location, String etag, Object body) {
    }

    /** What the first request answered (the body as JSON); `replayed` tells a retry apart. */
    public record Outcome(int status, String location, String etag, String body, boolean replayed) {
    }

    /**
     * Runs the creation once per (caller, key): a retry with the same request gets the stored
     * response, the same key with a different request 422, a retry while the first runs 409.
     */
    @Transactional
    public Outcome create(String caller, String key, Object request, Supplier<Response> creation) {
        if (key.isEmpty() || key.length() > 200 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new ProblemException(400, "bad-idempotency-key");
        }
        Boolean locked = (Boolean) em.createNativeQuery("SELECT pg_try_advisory_xact_lock(hashtext(?1), hashtext(?2))")
                .setParameter(1, caller).setParameter(2, key).getSingleResult();
        if (!locked) {
            throw new ProblemException(409, "idempotency-in-progress");
        }
        String hash = hash(request);
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<Object[]> seen = em.createNativeQuery("SELECT request_hash, status, location, etag, body, created_at"
                + " FROM idempotency_key WHERE caller = ?1 AND key = ?2")
                .setParameter(1, caller).setParameter(2, key).getResultList();
        if (!seen.isEmpty()) {
            Object[] r = seen.get(0);
            if (toInstant(r[5]).isAfter(now.minus(KEPT))) {
                if (!r[0].equals(hash)) {
                    throw new ProblemException(422, "idempotency-key-reused");
                }
                return new Outcome(((Number) r[1]).intValue(), (String) r[2], (String) r[3], (String) r[4], true);
            }
            em.createNativeQuery("DELETE FROM idempotency_key WHERE caller = ?1 AND key = ?2")
                    .setParameter(1, caller).setParameter(2, key).executeUpdate();
        }
        Response created = creation.get();
        // Constraint failures of the creation surface here, before the response is stored.
        em.flush();
        String body = write(created.body());
        em.createNativeQuery("INSERT INTO idempotency_key (caller, key, request_hash, status, location, etag, body,"
                + " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                .setParameter(1, caller).setParameter(2, key).setParameter(3, hash)
                .setParameter(4, created.status()).setParameter(5, created.location())
                .setParameter(6, created.etag()).setParameter(7, body).setParameter(8, now)
                .executeUpdate();
        return new Outcome(created.status(), created.location(), created.etag(), body, false);
    }

    /** Forgets keys older than {@link #KEPT}; returns how many. */
    @Transactional
    public int prune(Instant now) {
        return em.createNativeQuery("DELETE FROM idempotency_key WHERE created_at < ?1")
                .setParameter(1, now.minus(KEPT)).executeUpdate();
    }

    private static Instant toInstant(Object column) {
        return column instanceof Instant i ? i : column instanceof Timestamp t ? t.toInstant()
                : ((java.time.OffsetDateTime) column).toInstant();
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
