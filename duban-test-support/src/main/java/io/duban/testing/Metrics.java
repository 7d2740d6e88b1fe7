package io.duban.testing;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of the service under test's /q/metrics (the Prometheus text format), read into series:
 * a metric name, its labels and its value.
 */
public final class Metrics {

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]++|\\\\.)*+)\",?");

    /** One series and its value. */
    public record Series(String name, Map<String, String> labels, double value) {
    }

    private final List<Series> series;

    private Metrics(List<Series> series) {
        this.series = series;
    }

    public static Metrics scrape() {
        return parse(given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString());
    }

    public static Metrics parse(String text) {
        List<Series> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line.strip());
            if (!m.matches()) {
                throw new AssertionError("not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.add(new Series(m.group(1), Map.copyOf(labels), Double.parseDouble(m.group(4))));
        }
        return new Metrics(List.copyOf(out));
    }

    public List<Series> series() {
        return series;
    }

    /** The series whose name starts with the prefix. */
    public List<Series> series(String namePrefix) {
        return series.stream().filter(s -> s.name().startsWith(namePrefix)).toList();
    }

    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        series.forEach(s -> names.add(s.name()));
        return names;
    }

    /** The values a label takes in the series of the metric (name prefix). */
    public Set<String> labelValues(String namePrefix, String label) {
        Set<String> values = new LinkedHashSet<>();
        series(namePrefix).forEach(s -> {
            if (s.labels().containsKey(label)) {
                values.add(s.labels().get(label));
            }
        });
        return values;
    }

    /** The sum of the metric's series that have these labels (0 when there is none). */
    public double value(String name, Map<String, String> labels) {
        return series.stream().filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Series::value).sum();
    }

    public double value(String name) {
        return value(name, Map.of());
    }
}
