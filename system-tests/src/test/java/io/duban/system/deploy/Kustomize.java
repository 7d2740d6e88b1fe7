package io.duban.system.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;

/**
 * The part of kustomize that deploy/k8s uses, for rendering its overlays in a test where there is no
 * kustomize binary. It refuses any field outside that part, so the manifests cannot drift into
 * features it would silently get wrong. The subset (deploy/k8s/README.md lists it too):
 * <ul>
 * <li>{@code resources}: YAML files (several documents each) inside the kustomization's folder, or
 * folders with a kustomization of their own;</li>
 * <li>{@code configMapGenerator}: {@code name}, {@code files} (inside the folder, as kustomize's
 * default load restriction requires), {@code options.disableNameSuffixHash: true} (hash suffixes and
 * the reference rewriting they need are not implemented), {@code options.labels};</li>
 * <li>{@code patches}: {@code path} of a strategic-merge patch, one object per file, matched by
 * apiVersion, kind and name: maps merge, {@code null} deletes a field, the lists of the built-in
 * types merge by their merge keys (containers, env and volumes by name, volumeMounts by mountPath,
 * container ports by containerPort, Service ports by port), any other list is replaced; custom
 * resources get a JSON merge patch (lists replaced);</li>
 * <li>{@code namespace}: set on every object;</li>
 * <li>{@code images}: {@code name}, {@code newName}, {@code newTag} for the containers of
 * Deployments.</li>
 * </ul>
 */
final class Kustomize {

    private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "resources", "configMapGenerator",
            "patches", "namespace", "images");

    private Kustomize() {
    }

    /** The objects {@code kustomize build dir} would print, as YAML trees. */
    static List<Map<String, Object>> build(Path dir) {
        Path folder = dir.toAbsolutePath().normalize();
        Map<String, Object> k = map(loadAll(folder.resolve("kustomization.yaml")).get(0), folder + "/kustomization.yaml");
        String where = folder + "/kustomization.yaml";
        for (String field : k.keySet()) {
            assertTrue(FIELDS.contains(field), where + ": " + field + " is outside the kustomize subset the test renders"
                    + " (Kustomize.java); extend it there first");
        }
        assertEquals("kustomize.config.k8s.io/v1beta1", k.get("apiVersion"), where);
        assertEquals("Kustomization", k.get("kind"), where);

        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object r : list(k.getOrDefault("resources", List.of()), where + " resources")) {
            Path p = folder.resolve(String.valueOf(r)).normalize();
            if (Files.isDirectory(p)) {
                assertTrue(Files.isRegularFile(p.resolve("kustomization.yaml")), p + ": a resource folder needs a kustomization.yaml");
                objects.addAll(build(p));
            } else {
                inside(folder, p, where);
                for (Object doc : loadAll(p)) {
                    objects.add(map(doc, p.toString()));
                }
            }
        }
        for (Object g : list(k.getOrDefault("configMapGenerator", List.of()), where + " configMapGenerator")) {
            objects.add(generateConfigMap(folder, map(g, where + " configMapGenerator"), where));
        }
        Set<String> ids = new LinkedHashSet<>();
        for (Map<String, Object> o : objects) {
            assertTrue(ids.add(id(o)), where + ": " + id(o) + " is declared twice");
        }
        for (Object p : list(k.getOrDefault("patches", List.of()), where + " patches")) {
            Map<String, Object> patch = map(p, where + " patches");
            assertEquals(Set.of("path"), patch.keySet(), where + ": a patch is a path to a strategic-merge patch, nothing else");
            Path file = folder.resolve(String.valueOf(patch.get("path"))).normalize();
            inside(folder, file, where);
            List<Object> docs = loadAll(file);
            assertEquals(1, docs.size(), file + ": one object per patch file (kustomize before 5.2 reads only one)");
            for (Object doc : docs) {
                Map<String, Object> d = map(doc, file.toString());
                Map<String, Object> target = objects.stream().filter(o -> id(o).equals(id(d))).findFirst()
                        .orElseThrow(() -> new AssertionError(file + ": patches " + id(d) + ", which no resource declares"));
                merge(target, d, !String.valueOf(d.get("apiVersion")).contains(".cnpg.io/"), id(d));
            }
        }
        Object namespace = k.get("namespace");
        if (namespace != null) {
            for (Map<String, Object> o : objects) {
                map(o.get("metadata"), id(o) + " metadata").put("namespace", String.valueOf(namespace));
            }
        }
        for (Object i : list(k.getOrDefault("images", List.of()), where + " images")) {
            Map<String, Object> image = map(i, where + " images");
            assertTrue(Set.of("name", "newName", "newTag").containsAll(image.keySet()), where + ": images: " + image.keySet());
            boolean used = false;
            for (Map<String, Object> o : objects) {
                if (!"Deployment".equals(o.get("kind"))) {
                    continue;
                }
                Map<String, Object> podSpec = map(map(map(o.get("spec"), "spec").get("template"), "template").get("spec"), "spec");
                for (Object c : list(podSpec.get("containers"), "containers")) {
                    Map<String, Object> container = map(c, "container");
                    String ref = String.valueOf(container.get("image"));
                    int colon = ref.lastIndexOf(':');
                    boolean tagged = colon > ref.lastIndexOf('/');
                    String name = tagged ? ref.substring(0, colon) : ref;
                    if (name.equals(image.get("name"))) {
                        String newName = String.valueOf(image.getOrDefault("newName", name));
                        Object tag = image.containsKey("newTag") ? image.get("newTag") : (tagged ? ref.substring(colon + 1) : null);
                        container.put("image", tag == null ? newName : newName + ":" + tag);
                        used = true;
                    }
                }
            }
            assertTrue(used, where + ": images: no container uses " + image.get("name"));
        }
        return objects;
    }

    /** kind/name, with the API group: what a patch is matched by. */
    static String id(Map<String, Object> o) {
        String apiVersion = String.valueOf(o.get("apiVersion"));
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        return group + "/" + o.get("kind") + "/" + map(o.get("metadata"), "metadata of " + o.get("kind")).get("name");
    }

    private static Map<String, Object> generateConfigMap(Path folder, Map<String, Object> g, String where) {
        assertTrue(Set.of("name", "files", "options").containsAll(g.keySet()), where + ": configMapGenerator " + g.keySet()
                + ": only name, files and options are rendered");
        Map<String, Object> options = map(g.get("options"), where + ": configMapGenerator options");
        assertTrue(Set.of("disableNameSuffixHash", "labels").containsAll(options.keySet()), where + ": options " + options.keySet());
        assertEquals(Boolean.TRUE, options.get("disableNameSuffixHash"), where + ": configMapGenerator " + g.get("name")
                + ": the test renders generated ConfigMaps only with disableNameSuffixHash: true");
        Map<String, Object> data = new LinkedHashMap<>();
        for (Object f : list(g.get("files"), where + " configMapGenerator files")) {
            String spec = String.valueOf(f);
            int eq = spec.indexOf('=');
            Path file = folder.resolve(eq < 0 ? spec : spec.substring(eq + 1)).normalize();
            inside(folder, file, where);
            try {
                data.put(eq < 0 ? file.getFileName().toString() : spec.substring(0, eq), Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", g.get("name"));
        if (options.get("labels") != null) {
            metadata.put("labels", new LinkedHashMap<>(map(options.get("labels"), where + ": options.labels")));
        }
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("apiVersion", "v1");
        cm.put("kind", "ConfigMap");
        cm.put("metadata", metadata);
        cm.put("data", data);
        return cm;
    }

    /** kustomize's default load restriction: files only from the kustomization's folder or below. */
    private static void inside(Path folder, Path file, String where) {
        assertTrue(file.startsWith(folder), where + ": " + file + " is outside " + folder
                + " (kustomize refuses to load it: LoadRestrictionsRootOnly)");
        assertTrue(Files.isRegularFile(file), where + ": " + file + " does not exist");
    }

    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name", "initContainers", "name", "env", "name", "volumes", "name",
            "volumeMounts", "mountPath");

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> target, Map<String, Object> patch, boolean strategic, String path) {
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            Object current = target.get(key);
            if (value == null) {
                target.remove(key);
            } else if (value instanceof Map<?, ?> m && current instanceof Map<?, ?> c) {
                merge((Map<String, Object>) c, (Map<String, Object>) m, strategic, path + "." + key);
            } else if (strategic && value instanceof List<?> l && current instanceof List<?> c && mergeKey(path, key) != null) {
                String mk = mergeKey(path, key);
                List<Object> merged = new ArrayList<>(c);
                for (Object item : l) {
                    Map<String, Object> p = map(item, path + "." + key + "[]");
                    assertNotNull(p.get(mk), path + "." + key + ": a patch item needs its merge key " + mk);
                    Map<String, Object> existing = merged.stream().map(o -> (Map<String, Object>) o)
                            .filter(o -> String.valueOf(p.get(mk)).equals(String.valueOf(o.get(mk)))).findFirst().orElse(null);
                    if (existing == null) {
                        merged.add(p);
                    } else {
                        merge(existing, p, true, path + "." + key + "[" + p.get(mk) + "]");
                    }
                }
                target.put(key, merged);
            } else {
                target.put(key, value);
            }
        }
    }

    private static String mergeKey(String path, String key) {
        if (key.equals("ports")) {
            return path.contains("/Service/") && !path.contains("containers") ? "port" : "containerPort";
        }
        return MERGE_KEYS.get(key);
    }

    private static List<Object> loadAll(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<Object> docs = new ArrayList<>();
            for (Object doc : new Yaml().loadAll(r)) {
                if (doc != null) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String what) {
        assertInstanceOf(Map.class, o, what + " must be a mapping");
        return (Map<String, Object>) o;
    }

    static List<?> list(Object o, String what) {
        if (!(o instanceof List<?> l)) {
            fail(what + " must be a list");
            return List.of();
        }
        return l;
    }
}
