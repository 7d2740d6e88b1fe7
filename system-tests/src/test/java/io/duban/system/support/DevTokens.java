package io.duban.system.support;

import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

/**
 * RS256 bearer tokens signed with the dev private key (dev/jwt/privateKey.pem), which the service
 * under test is told to trust. Only for local runs and tests, like the key itself.
 */
public final class DevTokens {

    public static final String ISSUER = "https://duban.local/issuer";

    private final PrivateKey key;

    private DevTokens(PrivateKey key) {
        this.key = key;
    }

    public static DevTokens load(Path repositoryRoot) {
        Path pem = repositoryRoot.resolve("dev/jwt/privateKey.pem");
        try {
            String base64 = Files.readString(pem, StandardCharsets.US_ASCII)
                    .replace("-----BEGIN PRIVATE KEY-----", "")
                    .replace("-----END PRIVATE KEY-----", "")
                    .replaceAll("\\s", "");
            byte[] pkcs8 = Base64.getDecoder().decode(base64);
            return new DevTokens(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pem, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(pem + " is not a PKCS#8 RSA private key", e);
        }
    }

    /** A token for a user in one role; {@code unit} is the handler's unit code, or null. */
    public String token(String username, String role, String unit) {
        var builder = Jwt.issuer(ISSUER).subject(username).upn(username).groups(Set.of(role));
        if (unit != null) {
            builder.claim("unit", unit);
        }
        return builder.sign(key);
    }

    public String admin() {
        return token("system-test-admin", "admin", null);
    }

    public String supervisor() {
        return token("system-test-supervisor", "supervisor", "DCS");
    }

    public String handler(String unit) {
        return token("system-test-handler-" + unit.toLowerCase(), "handler", unit);
    }
}
