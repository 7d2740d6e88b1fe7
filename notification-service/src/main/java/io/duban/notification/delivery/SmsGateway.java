package io.duban.notification.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/**
 * SMS through the configured HTTP gateway (duban.delivery.sms.*): {to} and {text} are filled into the
 * URL (percent-encoded) and the body template (escaped for its content type); any 2xx is taken.
 */
@ApplicationScoped
class SmsGateway {

    private final DeliveryConfig config;
    private final HttpClient http;

    SmsGateway(DeliveryConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.httpTimeout()).build();
    }

    boolean configured() {
        return config.sms().url().filter(u -> !u.isBlank()).isPresent();
    }

    void send(Delivery d) {
        DeliveryConfig.Sms sms = config.sms();
        String url = fill(sms.url().orElseThrow(() -> new NothingToSendException("未配置短信网关")), d.recipient, d.body,
                SmsGateway::percent);
        String contentType = sms.contentType();
        String body = fill(sms.bodyTemplate(), d.recipient, d.body, escaperFor(contentType));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(config.httpTimeout())
                .header("Content-Type", contentType + (contentType.contains("charset") ? "" : "; charset=UTF-8"))
                .method(sms.method().toUpperCase(), HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        sms.authorization().ifPresent(a -> request.header("Authorization", a));
        Http.send(http, request.build(), "SMS gateway");
    }

    static String fill(String template, String to, String text, java.util.function.UnaryOperator<String> escape) {
        // One pass, so that a {to} inside the text is not filled again.
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            if (template.startsWith("{to}", i)) {
                out.append(escape.apply(to));
                i += 4;
            } else if (template.startsWith("{text}", i)) {
                out.append(escape.apply(text));
                i += 6;
            } else {
                out.append(template.charAt(i++));
            }
        }
        return out.toString();
    }

    static java.util.function.UnaryOperator<String> escaperFor(String contentType) {
        String ct = contentType.toLowerCase();
        if (ct.contains("json")) {
            return SmsGateway::jsonString;
        }
        if (ct.contains("x-www-form-urlencoded")) {
            return SmsGateway::percent;
        }
        return s -> s;
    }

    static String percent(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The inside of a JSON string literal. */
    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
