package io.duban.task.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duban.task.domain.IdempotencyRecord;
import io.duban.task.domain.SupervisionItem;
import io.duban.task.problem.ProblemException;
import io.duban.task.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Idempotent creation (`Idempotency-Key`). The key is claimed with a transaction-scoped advisory
 * lock, so a concurrent duplicate is refused at once (409) instead of creating twice; the creation
 * and the stored response commit together, so a retry after success always finds the response and
 * a failed request leaves nothing behind. Keys are scoped to the caller and kept {@link #KEPT}.
 */
@ApplicationScoped
public class Idempotency {

    public static final Duration KEPT = Duration.ofHours(48);

    private final Clock clock;
    private final ObjectMapper json;

    public Idempotency(Clock clock, ObjectMapper json) {
        this.clock = clock;
        this.json = json;
    }

    /** What the first request answered; `replayed` tells a retry apart. */
    public record Outcome(int status, String location, String etag, String body, boolean replayed) {
    }

    /** What a creation produced: the new resource, its location and the response body. */
    public record Created(SupervisionItem item, String location, Object body) {
    }

    @Transactional
    public Outcome create(Caller caller, String key, Object request, Supplier<Created> creation) {
        if (key.isEmpty() || key.length() > 200 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new ProblemException(400, "bad-idempotency-key");
        }
        Boolean locked = (Boolean) SupervisionItem.getEntityManager()
                .createNativeQuery("SELECT pg_try_advisory_xact_lock(hashtext(?1), hashtext(?2))")
                .setParameter(1, caller.username()).setParameter(2, key).getSingleResult();
        if (!locked) {
            throw new ProblemException(409, "idempotency-in-progress");
        }
        String hash = hash(request);
        IdempotencyRecord.Key id = new IdempotencyRecord.Key(caller.username(), key);
        IdempotencyRecord seen = IdempotencyRecord.findById(id);
        Instant now = clock.instant();
        if (seen != null && seen.createdAt.isAfter(now.minus(KEPT))) {
            if (!seen.requestHash.equals(hash)) {
                throw new ProblemException(422, "idempotency-key-reused");
            }
            return new Outcome(seen.status, seen.location, seen.etag, seen.body, true);
        }
        if (seen != null) {
            seen.delete();
            SupervisionItem.getEntityManager().flush();
        }
        Created created = creation.get();
        SupervisionItem.getEntityManager().flush();
        IdempotencyRecord r = new IdempotencyRecord();
        r.caller = caller.username();
        r.key = key;
        r.requestHash = hash;
        r.status = 201;
        r.location = created.location();
        r.etag = Etags.of(created.item().version);
        r.body = write(created.body());
        r.createdAt = now;
        r.persist();
        return new Outcome(r.status, r.location, r.etag, r.body, false);
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
