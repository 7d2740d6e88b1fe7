package io.duban.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    private static final PublicKey PUBLIC_KEY = loadPublicKey();

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

    /**
     * As a Duban service takes a call from another: the subject of a bearer token signed with the dev key
     * pair whose groups hold "service" and which has not expired; empty for anything else. For the
     * tests' stand-ins of another service (an event receiver, a directory or a calendar source).
     */
    public static Optional<String> serviceCaller(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return Optional.empty();
        }
        String[] parts = authorization.substring("Bearer ".length()).split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(PUBLIC_KEY);
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rsa.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return Optional.empty();
            }
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            boolean service = false;
            for (JsonNode g : claims.path("groups")) {
                service |= "service".equals(g.asText());
            }
            boolean current = claims.path("exp").asLong() > Instant.now().getEpochSecond();
            return service && current ? Optional.of(claims.path("sub").asText()) : Optional.empty();
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
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

    private static PublicKey loadPublicKey() {
        try (InputStream in = DevTokens.class.getResourceAsStream("/duban/dev-jwt/publicKey.pem")) {
            if (in == null) {
                throw new IllegalStateException("duban/dev-jwt/publicKey.pem is not on the class path");
            }
            String base64 = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                    .replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the dev public key is not an X.509 RSA key", e);
        }
    }
}
