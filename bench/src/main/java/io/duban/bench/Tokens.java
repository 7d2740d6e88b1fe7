package io.duban.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** Dev tokens, as dev/DubanDev.java and duban-test-support DevTokens mint them: RS256 with the dev key. */
final class Tokens {

    static final String ISSUER = "https://duban.local/issuer";

    private final PrivateKey key;
    private final String issuer;

    Tokens(Path privateKeyPem, String issuer) throws Exception {
        this(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(
                Files.readString(privateKeyPem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "")))), issuer);
    }

    Tokens(PrivateKey key, String issuer) {
        this.key = key;
        this.issuer = issuer;
    }

    /** A token valid for 12 hours: sub/upn, one role in groups, and the unit when given. */
    String mint(String username, String role, String unit) throws Exception {
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":\"" + issuer + "\",\"sub\":\"" + username + "\",\"upn\":\"" + username
                + "\",\"groups\":[\"" + role + "\"]" + (unit == null ? "" : ",\"unit\":\"" + unit + "\"")
                + ",\"iat\":" + now + ",\"exp\":" + (now + 12 * 3600) + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        String input = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64(rsa.sign());
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
