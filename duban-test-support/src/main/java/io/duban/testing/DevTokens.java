package io.duban.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RS256 bearer tokens signed with the dev key pair (dev/jwt/, copied into this jar), which test
 * profiles and the services started by the system tests trust. For tests and local runs only, like
 * the key itself.
 */
public final class DevTokens {

    public static final String ISSUER = "https://duban.local/issuer";
    /**
     * Every role of SPEC.md's table, as the `groups` claim names them, in the table's order. The same
     * list as duban-common's Role enum (which this module cannot depend on); DevTokensRolesTest there
     * keeps the two equal.
     */
    public static final List<String> ROLES = List.of("admin", "supervisor", "leader", "handler", "service");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PrivateKey KEY = loadKey();

    private DevTokens() {
    }

    /** A token for a user in one role; {@code unit} is the handler's unit code, or null. */
    public static String token(String username, String role, String unit) {
        Map<String, Object> claims = standardClaims(username, List.of(role));
        if (unit != null) {
            claims.put("unit", unit);
        }
        return sign(claims);
    }

    /** The claims a token of ours carries, valid for an hour from now; change them to make odd tokens. */
    public static Map<String, Object> standardClaims(String username, List<String> roles) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", username);
        claims.put("upn", username);
        claims.put("groups", roles);
        claims.put("iat", now);
        claims.put("exp", now + Duration.ofHours(1).toSeconds());
        return claims;
    }

    /** Any claims, signed with the dev key. */
    public static String sign(Map<String, Object> claims) {
        try {
            String header = b64(JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT")));
            String payload = b64(JSON.writeValueAsBytes(claims));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(KEY);
            rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + b64(rsa.sign());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("claims that are not JSON: " + claims, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String admin() {
        return token("admin-t", "admin", null);
    }

    public static String supervisor() {
        return token("duchashi-t", "supervisor", "DCS");
    }

    public static String leader() {
        return token("leader-t", "leader", null);
    }

    public static String service() {
        return token("service-t", "service", null);
    }

    public static String handler(String unit) {
        return token("handler-" + unit.toLowerCase(), "handler", unit);
    }

    /** The token of this class's user in a role; a handler belongs to the unit. */
    public static String forRole(String role, String unit) {
        return switch (role) {
            case "admin" -> admin();
            case "supervisor" -> supervisor();
            case "leader" -> leader();
            case "service" -> service();
            case "handler" -> handler(unit);
            default -> token(role + "-t", role, null);
        };
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static PrivateKey loadKey() {
        try (InputStream in = DevTokens.class.getResourceAsStream("/duban/dev-jwt/privateKey.pem")) {
            if (in == null) {
                throw new IllegalStateException("duban/dev-jwt/privateKey.pem is not on the class path");
            }
            String base64 = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                    .replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the dev private key is not a PKCS#8 RSA key", e);
        }
    }
}
