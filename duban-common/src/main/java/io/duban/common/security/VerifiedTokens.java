package io.duban.common.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The bearer tokens this service has verified, so that a client polling with the same token is not
 * verified again on every request: the RSA signature check and the claims' parsing were a quarter of
 * the CPU of a handler's list page and a tenth of a full feed page (bench/results.md). An API gateway's
 * JWT filter does the same.
 *
 * <p>A token is served from here only if the exact same string was verified before, and only until
 * the earlier of its own expiry and {@code duban.security.token-cache-ttl} after it was verified (so a
 * changed verification key takes effect within that time). Anything refused is never kept, so a bad
 * token is checked, and refused, every time. {@link TokenRules} still runs on every request.
 * {@code duban.security.token-cache-size} bounds the entries (0: verify every request). Every other
 * operation goes straight to smallrye-jwt's parser.
 *
 * <p>The requests that present the same token share one {@link JsonWebToken}: smallrye-jwt's principal
 * keeps its claims in a final field and adjusts them only while it is built, so it is only read after.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokens implements JWTParser {

    private final JWTParser parser;
    private final Clock wall;
    private final long ttlSeconds;
    private final Cache<String, Verified> cache;

    private record Verified(JsonWebToken token, long goodUntil) {
    }

    @Inject
    public VerifiedTokens(DefaultJWTParser parser, TokenRules.Config config) {
        // Wall time, as smallrye-jwt checks expiry (not the office clock, which tests move).
        this(parser, Clock.systemUTC(), config.tokenCacheSize(), config.tokenCacheTtl());
    }

    VerifiedTokens(JWTParser parser, Clock wall, int size, Duration ttl) {
        this.parser = parser;
        this.wall = wall;
        this.ttlSeconds = ttl.toSeconds();
        this.cache = size <= 0 ? null : Caffeine.newBuilder().maximumSize(size).expireAfterWrite(ttl).build();
    }

    @Override
    public JsonWebToken parse(String bearerToken) throws ParseException {
        if (cache == null) {
            return parser.parse(bearerToken);
        }
        long now = wall.instant().getEpochSecond();
        Verified v = cache.getIfPresent(bearerToken);
        if (v != null) {
            if (now < v.goodUntil()) {
                return v.token();
            }
            cache.invalidate(bearerToken);
        }
        JsonWebToken token = parser.parse(bearerToken); // a refused token throws: nothing is kept
        long goodUntil = Math.min(token.getExpirationTime(), now + ttlSeconds);
        if (goodUntil > now) {
            cache.put(bearerToken, new Verified(token, goodUntil));
        }
        return token;
    }

    /** How many tokens are kept now (for tests and diagnostics). */
    long size() {
        if (cache == null) {
            return 0;
        }
        cache.cleanUp();
        return cache.estimatedSize();
    }

    @Override
    public JsonWebToken parse(String bearerToken, JWTAuthContextInfo context) throws ParseException {
        return parser.parse(bearerToken, context);
    }

    @Override
    public JsonWebToken verify(String bearerToken, PublicKey key) throws ParseException {
        return parser.verify(bearerToken, key);
    }

    @Override
    public JsonWebToken verify(String bearerToken, SecretKey key) throws ParseException {
        return parser.verify(bearerToken, key);
    }

    @Override
    public JsonWebToken verify(String bearerToken, String secret) throws ParseException {
        return parser.verify(bearerToken, secret);
    }

    @Override
    public JsonWebToken decrypt(String bearerToken, PrivateKey key) throws ParseException {
        return parser.decrypt(bearerToken, key);
    }

    @Override
    public JsonWebToken decrypt(String bearerToken, SecretKey key) throws ParseException {
        return parser.decrypt(bearerToken, key);
    }

    @Override
    public JsonWebToken decrypt(String bearerToken, String secret) throws ParseException {
        return parser.decrypt(bearerToken, secret);
    }

    @Override
    public JsonWebToken parseOnly(String bearerToken) throws ParseException {
        return parser.parseOnly(bearerToken);
    }
}
