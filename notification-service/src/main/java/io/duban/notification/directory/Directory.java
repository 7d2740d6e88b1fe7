package io.duban.notification.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duban.notification.TaskServiceToken;
import io.duban.notification.delivery.DeliveryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The contacts of units and people, read over REST from task-service's directory
 * ({@code GET /api/v1/units/{code}}, {@code GET /api/v1/people?unit=}, page by page) as the service role, and kept
 * for {@code duban.delivery.directory.cache-ttl}. notification-service never reads task-service's
 * tables; a unit unknown to the directory is cached as absent too.
 */
@ApplicationScoped
public class Directory {

    /** People asked for per page of {@code GET /api/v1/people} (task-service's largest). */
    static final int PEOPLE_PAGE = 500;

    private final DeliveryConfig config;
    private final Clock clock;
    private final ObjectMapper json;
    private final HttpClient http;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final TaskServiceToken serviceToken;

    public Directory(DeliveryConfig config, Clock clock, ObjectMapper json, TaskServiceToken serviceToken) {
        this.config = config;
        this.serviceToken = serviceToken;
        this.clock = clock;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.httpTimeout()).build();
    }

    private record Cached(Optional<UnitContacts> contacts, Instant until) {
    }

    /** The unit's contacts, or empty when the directory has no such unit. */
    public Optional<UnitContacts> unit(String code) {
        Instant now = clock.instant();
        Cached c = cache.get(code);
        if (c != null && now.isBefore(c.until())) {
            return c.contacts();
        }
        Optional<UnitContacts> fresh = fetch(code);
        cache.put(code, new Cached(fresh, now.plus(config.directory().cacheTtl())));
        return fresh;
    }

    /** Forgets what was cached (after a directory change an admin wants seen at once). */
    public void forget() {
        cache.clear();
    }

    private Optional<UnitContacts> fetch(String code) {
        String enc = URLEncoder.encode(code, StandardCharsets.UTF_8);
        JsonNode unit = get("/api/v1/units/" + enc);
        if (unit == null) {
            return Optional.empty();
        }
        List<UnitContacts.Person> list = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = get("/api/v1/people?unit=" + enc + "&active=true&limit=" + PEOPLE_PAGE
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            if (page == null) {
                break; // the unit went between the two reads: its people with it
            }
            for (JsonNode p : page.path("items")) {
                if (!p.path("active").asBoolean(true)) {
                    continue; // has left (PATCH /people/{id} active=false): asked away with active=true, checked again
                }
                list.add(new UnitContacts.Person(text(p, "username"), text(p, "name"), text(p, "role"),
                        text(p, "email"), text(p, "phone")));
            }
            cursor = text(page, "nextCursor");
        } while (cursor != null);
        return Optional.of(new UnitContacts(text(unit, "code"), text(unit, "name"), text(unit, "contactEmail"),
                text(unit, "phone"), list));
    }

    /** The JSON answer, or null for 404; anything else but 200 is the directory being unavailable. */
    private JsonNode get(String pathAndQuery) {
        URI uri = config.directory().url().resolve(pathAndQuery);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.httpTimeout())
                .header("Accept", "application/json").header("Authorization", "Bearer " + token()).GET().build();
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 404) {
                return null;
            }
            if (r.statusCode() != 200) {
                throw new DirectoryUnavailableException("directory " + uri + ": HTTP " + r.statusCode(), null);
            }
            return json.readTree(r.body());
        } catch (IOException e) {
            throw new DirectoryUnavailableException("directory " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DirectoryUnavailableException("directory " + uri + ": interrupted", e);
        }
    }

    private String token() {
        try {
            return serviceToken.or(config.directory().token()).orElseThrow(() -> new DirectoryUnavailableException(
                    "no service token: set DUBAN_DIRECTORY_TOKEN or DUBAN_JWT_PRIVATE_KEY_LOCATION", null));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new DirectoryUnavailableException("no service token: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }
}
