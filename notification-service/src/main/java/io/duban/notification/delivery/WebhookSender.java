package io.duban.notification.delivery;

import io.duban.notification.subscriptions.Subscription;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook POSTs: the event's JSON, signed. Headers: {@code X-Duban-Timestamp} (Unix seconds of this
 * attempt), {@code X-Duban-Signature: sha256=<hex>} = HMAC-SHA256(secret, timestamp + "." + body),
 * {@code X-Duban-Event-Id}, {@code X-Duban-Event-Type}, {@code X-Duban-Delivery-Id}.
 */
@ApplicationScoped
class WebhookSender {

    static final String TIMESTAMP = "X-Duban-Timestamp";
    static final String SIGNATURE = "X-Duban-Signature";

    private final DeliveryConfig config;
    private final Clock clock;
    private final HttpClient http;

    WebhookSender(DeliveryConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(config.httpTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    void send(Delivery d) {
        Subscription s = Subscription.findById(d.subscriptionId);
        if (s == null || !s.active) {
            throw new NothingToSendException("订阅已停用或已删除");
        }
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        HttpRequest request = HttpRequest.newBuilder(URI.create(d.recipient)).timeout(config.httpTimeout())
                .header("Content-Type", "application/json; charset=UTF-8")
                .header(TIMESTAMP, timestamp)
                .header(SIGNATURE, "sha256=" + sign(s.secret, timestamp, d.body))
                .header("X-Duban-Event-Id", String.valueOf(d.eventId))
                .header("X-Duban-Event-Type", d.kind)
                .header("X-Duban-Delivery-Id", d.id.toString())
                .POST(HttpRequest.BodyPublishers.ofString(d.body, StandardCharsets.UTF_8)).build();
        Http.send(http, request, "webhook");
    }

    /** Lower-case hex of HMAC-SHA256(secret, timestamp + "." + body), all UTF-8. */
    static String sign(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
