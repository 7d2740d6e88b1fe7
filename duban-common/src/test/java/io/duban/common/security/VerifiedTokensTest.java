package io.duban.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/**
 * The cache's rules, against a parser that counts its calls and accepts the tokens it is told to
 * (smallrye-jwt's real verification is exercised by every service's HTTP tests, which now go
 * through this class).
 */
class VerifiedTokensTest {

    private static final long T0 = 1_795_000_000L;

    /**
     * smallrye-jwt's parser with its verification replaced: it accepts the tokens of {@code expiry}
     * until their expiry, refuses the rest, and counts its calls.
     */
    static final class CountingParser extends DefaultJWTParser {
        final Map<String, Long> expiry = new HashMap<>();
        int calls;
        long now = T0;

        @Override
        public JsonWebToken parse(String token) throws ParseException {
            calls++;
            Long exp = expiry.get(token);
            if (exp == null || exp <= now) {
                throw new ParseException("refused: " + token);
            }
            return new Token(token, exp);
        }
    }

    record Token(String raw, long exp) implements JsonWebToken {
        @Override
        public String getName() {
            return raw;
        }

        @Override
        public Set<String> getClaimNames() {
            return Set.of(Claims.exp.name());
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T getClaim(String name) {
            return name.equals(Claims.exp.name()) ? (T) Long.valueOf(exp) : null;
        }
    }

    private final CountingParser parser = new CountingParser();
    private final MutableClock wall = new MutableClock();

    private VerifiedTokens tokens(int size, Duration ttl) {
        return new VerifiedTokens(parser, wall, size, ttl);
    }

    private void at(long epochSecond) {
        wall.now = epochSecond;
        parser.now = epochSecond;
    }

    @Test
    void theSameTokenIsVerifiedOnceAndServedAgainUntilItExpires() throws Exception {
        VerifiedTokens tokens = tokens(100, Duration.ofMinutes(5));
        parser.expiry.put("good-a", T0 + 120);
        at(T0);
        var first = tokens.parse("good-a");
        at(T0 + 60);
        assertSame(first, tokens.parse("good-a"));
        assertEquals(1, parser.calls, "the second request used the verified token");
        at(T0 + 120);
        assertThrows(ParseException.class, () -> tokens.parse("good-a"), "expired: verified again, and refused");
        assertEquals(2, parser.calls);
        assertEquals(0, tokens.size(), "the expired token is no longer kept");
    }

    @Test
    void aLongLivedTokenIsVerifiedAgainAfterTheTtl() throws Exception {
        VerifiedTokens tokens = tokens(100, Duration.ofMinutes(5));
        parser.expiry.put("good-b", T0 + 12 * 3600);
        at(T0);
        tokens.parse("good-b");
        at(T0 + 299);
        tokens.parse("good-b");
        assertEquals(1, parser.calls);
        at(T0 + 300);
        tokens.parse("good-b");
        assertEquals(2, parser.calls, "after the TTL the signature is checked again");
        // ... for instance after the verification key changed: now the parser refuses it.
        parser.expiry.remove("good-b");
        at(T0 + 601);
        assertThrows(ParseException.class, () -> tokens.parse("good-b"));
    }

    @Test
    void aRefusedTokenIsNeverKeptAndIsCheckedEveryTime() {
        VerifiedTokens tokens = tokens(100, Duration.ofMinutes(5));
        at(T0);
        for (int i = 0; i < 3; i++) {
            assertThrows(ParseException.class, () -> tokens.parse("forged"));
        }
        assertEquals(3, parser.calls);
        assertEquals(0, tokens.size());
    }

    @Test
    void onlyTheExactStringIsAHit() throws Exception {
        VerifiedTokens tokens = tokens(100, Duration.ofMinutes(5));
        parser.expiry.put("good-c", T0 + 600);
        at(T0);
        tokens.parse("good-c");
        assertThrows(ParseException.class, () -> tokens.parse("good-c "), "a changed token is verified on its own");
        assertThrows(ParseException.class, () -> tokens.parse("good-C"));
        assertEquals(3, parser.calls);
    }

    @Test
    void theNumberKeptIsBoundedAndSizeZeroVerifiesEveryRequest() throws Exception {
        VerifiedTokens bounded = tokens(10, Duration.ofMinutes(5));
        at(T0);
        for (int i = 0; i < 100; i++) {
            parser.expiry.put("good-" + i, T0 + 600);
            bounded.parse("good-" + i);
        }
        assertEquals(10, bounded.size());

        VerifiedTokens off = tokens(0, Duration.ofMinutes(5));
        parser.calls = 0;
        off.parse("good-1");
        off.parse("good-1");
        assertEquals(2, parser.calls);
    }

    static final class MutableClock extends Clock {
        long now = T0;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(now);
        }
    }
}
