package io.duban.notification.delivery;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** One outgoing HTTP call of a delivery: a 2xx is delivered, anything else is a failed attempt. */
final class Http {

    private Http() {
    }

    static void send(HttpClient http, HttpRequest request, String what) {
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() / 100 != 2) {
                String body = new String(r.body(), StandardCharsets.UTF_8).strip();
                throw new DeliveryFailedException(what + ": HTTP " + r.statusCode()
                        + (body.isEmpty() ? "" : " " + Errors.truncate(body.length() > 200 ? body.substring(0, 200) + "…" : body)), null);
            }
        } catch (IOException e) {
            throw new DeliveryFailedException(what + ": " + Errors.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailedException(what + ": interrupted", e);
        }
    }
}
