package io.duban.system.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * Validates a YAML tree against a custom resource's structural schema (the openAPIV3Schema of a CRD),
 * as the API server does on create, with unknown fields refused (kubectl's strict field validation).
 * The keywords CRD schemas use: type, properties, additionalProperties, required, items, enum, pattern,
 * minLength, maxLength, minimum, maximum, minItems, maxItems, anyOf, nullable,
 * x-kubernetes-int-or-string and x-kubernetes-preserve-unknown-fields. Not evaluated:
 * x-kubernetes-validations (CEL rules), format, and the list-type/map-type merge hints.
 */
final class StructuralSchema {

    private final Map<String, Object> schema;

    private StructuralSchema(Map<String, Object> schema) {
        this.schema = schema;
    }

    /** A schema file of src/test/resources/cloudnative-pg: group, kind, version, openAPIV3Schema. */
    static StructuralSchema load(Path file, String expectedGroupVersionKind) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Map<String, Object> doc = Kustomize.map(new Yaml().load(r), file.toString());
            String gvk = doc.get("group") + "/" + doc.get("version") + "/" + doc.get("kind");
            if (!gvk.equals(expectedGroupVersionKind)) {
                throw new AssertionError(file + " is the schema of " + gvk + ", not " + expectedGroupVersionKind);
            }
            return new StructuralSchema(Kustomize.map(doc.get("openAPIV3Schema"), file + " openAPIV3Schema"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What in the tree the schema refuses, one line each; empty when it is valid. */
    List<String> errors(Object tree) {
        List<String> errors = new ArrayList<>();
        check(tree, schema, "", errors);
        return errors;
    }

    @SuppressWarnings("unchecked")
    private static void check(Object value, Map<String, Object> s, String path, List<String> errors) {
        String at = path.isEmpty() ? "(root)" : path;
        if (value == null) {
            if (!Boolean.TRUE.equals(s.get("nullable"))) {
                errors.add(at + ": null");
            }
            return;
        }
        if (s.get("anyOf") instanceof List<?> anyOf) {
            boolean one = false;
            for (Object branch : anyOf) {
                List<String> e = new ArrayList<>();
                check(value, (Map<String, Object>) branch, path, e);
                one |= e.isEmpty();
            }
            if (!one) {
                errors.add(at + ": matches none of anyOf " + anyOf);
            }
        }
        if (Boolean.TRUE.equals(s.get("x-kubernetes-int-or-string"))) {
            if (!(value instanceof Integer || value instanceof Long || value instanceof String)) {
                errors.add(at + ": an integer or a string, not " + value);
            }
        } else if (s.get("type") instanceof String type) {
            boolean ok = switch (type) {
                case "object" -> value instanceof Map;
                case "array" -> value instanceof List;
                case "string" -> value instanceof String;
                case "integer" -> value instanceof Integer || value instanceof Long;
                case "number" -> value instanceof Number;
                case "boolean" -> value instanceof Boolean;
                default -> throw new IllegalStateException(at + ": schema type " + type);
            };
            if (!ok) {
                errors.add(at + ": must be of type " + type + ", is " + value.getClass().getSimpleName() + " " + value);
                return;
            }
        }
        if (s.get("enum") instanceof List<?> values && values.stream().noneMatch(v -> String.valueOf(v).equals(String.valueOf(value)))) {
            errors.add(at + ": " + value + " is none of " + values);
        }
        if (value instanceof String str) {
            if (s.get("pattern") instanceof String p && !Pattern.compile(p).matcher(str).find()) {
                errors.add(at + ": " + str + " does not match " + p);
            }
            if (s.get("minLength") instanceof Number n && str.length() < n.intValue()) {
                errors.add(at + ": shorter than " + n);
            }
            if (s.get("maxLength") instanceof Number n && str.length() > n.intValue()) {
                errors.add(at + ": longer than " + n);
            }
        }
        if (value instanceof Number num && !(value instanceof Double)) {
            if (s.get("minimum") instanceof Number n && num.longValue() < n.longValue()) {
                errors.add(at + ": below the minimum " + n);
            }
            if (s.get("maximum") instanceof Number n && num.longValue() > n.longValue()) {
                errors.add(at + ": above the maximum " + n);
            }
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> properties = (Map<String, Object>) s.get("properties");
            Object additional = s.get("additionalProperties");
            boolean preserve = Boolean.TRUE.equals(s.get("x-kubernetes-preserve-unknown-fields"));
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                String sub = path.isEmpty() ? key : path + "." + key;
                if (properties != null && properties.containsKey(key)) {
                    check(e.getValue(), (Map<String, Object>) properties.get(key), sub, errors);
                } else if (additional instanceof Map<?, ?> a) {
                    check(e.getValue(), (Map<String, Object>) a, sub, errors);
                } else if (properties != null && !Boolean.TRUE.equals(additional) && !preserve) {
                    errors.add(sub + ": unknown field");
                }
            }
            if (s.get("required") instanceof List<?> required) {
                for (Object r : required) {
                    if (!map.containsKey(r)) {
                        errors.add(at + ": " + r + " is required");
                    }
                }
            }
        }
        if (value instanceof List<?> list) {
            if (s.get("minItems") instanceof Number n && list.size() < n.intValue()) {
                errors.add(at + ": fewer than " + n + " items");
            }
            if (s.get("maxItems") instanceof Number n && list.size() > n.intValue()) {
                errors.add(at + ": more than " + n + " items");
            }
            if (s.get("items") instanceof Map<?, ?> items) {
                for (int i = 0; i < list.size(); i++) {
                    check(list.get(i), (Map<String, Object>) items, path + "[" + i + "]", errors);
                }
            }
        }
    }
}
