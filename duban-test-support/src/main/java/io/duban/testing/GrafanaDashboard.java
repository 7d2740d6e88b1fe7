package io.duban.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's Grafana dashboard (deploy/grafana/duban.json): its PromQL expressions and the metric
 * names they read, and which service exposes each name, so that each service's test can check the
 * names it owns against its own /q/metrics.
 */
public final class GrafanaDashboard {

    /** The business metrics by the service that exposes them (their name prefixes). */
    public static final Map<String, List<String>> OWNERS = Map.of(
            "task-service", List.of("duban_items_", "duban_urges_", "duban_outbox_"),
            "notification-service", List.of("duban_events_", "duban_notices_", "duban_deliveries_"));

    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*\\w+\\s*\\)\\s*$");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "inf", "nan");

    private final JsonNode root;

    private GrafanaDashboard(JsonNode root) {
        this.root = root;
    }

    /** Reads the dashboard from the repository root (a module's tests run in the module's directory). */
    public static GrafanaDashboard ofRepository() {
        Path file = Path.of("..", "deploy", "grafana", "duban.json");
        try {
            return new GrafanaDashboard(new ObjectMapper().readTree(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode root() {
        return root;
    }

    /** Every PromQL expression: the panels' targets and the template variables' queries. */
    public List<String> expressions() {
        List<String> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if ((f.getKey().equals("expr") || f.getKey().equals("definition")) && f.getValue().isTextual()) {
                    out.add(f.getValue().asText());
                } else {
                    collect(f.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, out));
        }
    }

    /**
     * The metric names an expression reads: what is left once label matchers, grouping clauses, range
     * selectors, strings and numbers are taken out, and functions (an identifier before a parenthesis)
     * and keywords are passed over.
     */
    public static Set<String> metricNames(String expr) {
        Matcher labelValues = LABEL_VALUES.matcher(expr);
        if (labelValues.matches()) {
            // Grafana's label_values(metric, label): only the first argument is a metric.
            return metricNames(labelValues.group(1));
        }
        String e = expr.replaceAll("\"(?:[^\"\\\\]++|\\\\.)*+\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\w+", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(e);
        while (m.find()) {
            String id = m.group();
            int next = m.end();
            while (next < e.length() && Character.isWhitespace(e.charAt(next))) {
                next++;
            }
            boolean function = next < e.length() && e.charAt(next) == '(';
            boolean number = m.start() > 0 && (Character.isDigit(e.charAt(m.start() - 1)) || e.charAt(m.start() - 1) == '.');
            if (!function && !number && !KEYWORDS.contains(id.toLowerCase())) {
                names.add(id);
            }
        }
        return names;
    }

    /** Every metric name the dashboard reads. */
    public Set<String> metricNames() {
        Set<String> names = new TreeSet<>();
        expressions().forEach(e -> names.addAll(metricNames(e)));
        return names;
    }

    /** The service that exposes a business metric; null for the ones every service exposes (HTTP, JVM, pool). */
    public static String owner(String metric) {
        for (Map.Entry<String, List<String>> e : OWNERS.entrySet()) {
            if (e.getValue().stream().anyMatch(metric::startsWith)) {
                return e.getKey();
            }
        }
        return null;
    }

    /** The names this service must expose: its own and the shared ones. */
    public Set<String> metricNamesOf(String service) {
        Set<String> names = new TreeSet<>();
        for (String n : metricNames()) {
            String owner = owner(n);
            if (owner == null || owner.equals(service)) {
                names.add(n);
            }
        }
        return names;
    }
}
