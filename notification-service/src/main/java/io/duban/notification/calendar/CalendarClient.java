package io.duban.notification.calendar;

import io.duban.common.calendar.HolidayCnFormat;
import io.duban.notification.TaskServiceToken;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads one year of the working-day calendar from task-service. 200: the year in holiday-cn JSON,
 * parsed as strictly as task-service parsed its import; 404: the year was never imported (plain
 * Monday–Friday). Anything else is a failure the caller retries later.
 */
@ApplicationScoped
public class CalendarClient {

    private final CalendarSourceConfig config;
    private final TaskServiceToken token;
    private final HttpClient http;

    public CalendarClient(CalendarSourceConfig config, TaskServiceToken token) {
        this.config = config;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
    }

    /** A fetched year: its data (empty when task-service has none) and the raw text, for change detection. */
    public record Fetched(int year, Optional<HolidayCnFormat.Year> data, String text) {
    }

    public Fetched fetch(int year) throws IOException {
        URI uri = config.url().resolve("/api/v1/calendar/" + year);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.timeout())
                .header("Accept", "application/json").GET();
        token.or(config.token()).ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the calendar of " + year, e);
        }
        if (response.statusCode() == 404) {
            return new Fetched(year, Optional.empty(), "");
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered " + response.statusCode());
        }
        try {
            return new Fetched(year, Optional.of(HolidayCnFormat.parse(response.body())), response.body());
        } catch (IllegalArgumentException e) {
            throw new IOException("GET " + uri + " gave a calendar that does not parse: " + e.getMessage(), e);
        }
    }
}
