package io.duban.system.deploy;

import static io.duban.system.deploy.Kustomize.list;
import static io.duban.system.deploy.Kustomize.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/k8s cannot be applied on a build machine without a cluster, so this test renders each
 * overlay (with {@link Kustomize}, the subset of kustomize the manifests keep to), parses every object
 * into the typed models of the Kubernetes API (fabric8's kubernetes-model; CloudNativePG's Cluster and
 * ScheduledBackup into the records at the end, and validated against the operator's own schemas,
 * {@link StructuralSchema}), refuses any field the models and schemas do not know, and checks that the objects agree with
 * each other and with the services: selectors, ports, probes, Secrets and ConfigMaps, the variables each
 * service's configuration needs (as {@link ComposeFileTest} does for compose), the heap bound, the
 * Ingress against the services' JAX-RS paths, and the database cluster against db/init-roles.sql.
 */
class KubernetesManifestsTest {

    private static final Path ROOT = ServiceConfig.ROOT;
    private static final Path K8S = ROOT.resolve("deploy/k8s");
    private static final List<String> OVERLAYS = List.of("dev", "city");
    private static final Map<String, String> HEALTH = Map.of("startup", "/q/health/started", "readiness", "/q/health/ready",
            "liveness", "/q/health/live");
    /** Called inside the cluster only (task-service's relay), so not routed by the Ingress. */
    private static final Set<String> INTERNAL_PATHS = Set.of("/api/v1/events");

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Map<String, Class<?>> TYPES = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/Ingress", Ingress.class,
            "postgresql.cnpg.io/v1/Cluster", CnpgCluster.class,
            "postgresql.cnpg.io/v1/ScheduledBackup", CnpgScheduledBackup.class);

    private static final Map<String, Rendered> RENDERED = new HashMap<>();

    /** An overlay, rendered (the trees) and typed (the objects, in the same order). */
    record Rendered(String overlay, List<Map<String, Object>> trees, List<Object> objects) {

        <T> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T> T one(Class<T> type, String name) {
            List<T> found = all(type).stream().filter(o -> name.equals(meta(o).getName())).toList();
            assertEquals(1, found.size(), overlay + ": one " + type.getSimpleName() + " named " + name);
            return found.get(0);
        }

        ConfigMap configMap(String name) {
            return all(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError(overlay + ": no ConfigMap " + name));
        }
    }

    static synchronized Rendered render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> {
            List<Object> typed = new ArrayList<>();
            List<Map<String, Object>> trees = Kustomize.build(K8S.resolve("overlays").resolve(o));
            for (Map<String, Object> tree : trees) {
                typed.add(typed(tree, o));
            }
            return new Rendered(o, trees, typed);
        });
    }

    /** The object of the typed model for its apiVersion and kind; fails on a field the model lacks. */
    static Object typed(Map<String, Object> tree, String where) {
        String type = tree.get("apiVersion") + "/" + tree.get("kind");
        Class<?> cls = TYPES.get(type);
        assertNotNull(cls, where + ": " + Kustomize.id(tree) + ": no typed model for " + type + " (add it to TYPES)");
        Object object;
        try {
            object = JSON.convertValue(tree, cls);
        } catch (IllegalArgumentException e) {
            throw new AssertionError(where + ": " + Kustomize.id(tree) + " does not parse as " + cls.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
        noUnknownFields(object, where + ": " + Kustomize.id(tree));
        StructuralSchema schema = CRD_SCHEMAS.get(type);
        if (schema != null) {
            List<String> errors = schema.errors(tree);
            assertTrue(errors.isEmpty(), where + ": " + Kustomize.id(tree) + " against CloudNativePG's schema: " + errors);
        }
        return object;
    }

    /** CloudNativePG's own schemas (src/test/resources/cloudnative-pg), beside the records below. */
    private static final Map<String, StructuralSchema> CRD_SCHEMAS = Map.of(
            "postgresql.cnpg.io/v1/Cluster", StructuralSchema.load(Path.of("src/test/resources/cloudnative-pg/clusters.schema.yaml"),
                    "postgresql.cnpg.io/v1/Cluster"),
            "postgresql.cnpg.io/v1/ScheduledBackup", StructuralSchema.load(
                    Path.of("src/test/resources/cloudnative-pg/scheduledbackups.schema.yaml"), "postgresql.cnpg.io/v1/ScheduledBackup"));

    @Test
    void aFieldTheApiDoesNotHaveIsRefusedInBuiltInAndCustomResources() {
        List<Map<String, Object>> trees = Kustomize.build(K8S.resolve("overlays/dev"));
        Map<String, Object> deployment = trees.stream().filter(t -> "Deployment".equals(t.get("kind"))).findFirst().orElseThrow();
        Map<String, Object> container = map(list(map(map(map(deployment.get("spec"), "spec").get("template"), "template")
                .get("spec"), "spec").get("containers"), "containers").get(0), "container");
        container.put("livenessprobe", Map.of("httpGet", Map.of("path", "/q/health/live", "port", "http")));
        AssertionError builtIn = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> typed(deployment, "dev"));
        assertTrue(builtIn.getMessage().contains("unknown field(s) [livenessprobe]"), builtIn.getMessage());

        Map<String, Object> cluster = trees.stream().filter(t -> "Cluster".equals(t.get("kind"))).findFirst().orElseThrow();
        map(cluster.get("spec"), "spec").put("instance", 3);
        AssertionError custom = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> typed(cluster, "dev"));
        assertTrue(custom.getMessage().contains("\"instance\""), custom.getMessage());
        assertEquals(List.of("spec.instance: unknown field"), CRD_SCHEMAS.get("postgresql.cnpg.io/v1/Cluster").errors(cluster),
                "CloudNativePG's schema refuses it too");

        map(cluster.get("spec"), "spec").remove("instance");
        map(cluster.get("spec"), "spec").put("primaryUpdateStrategy", "sometimes");
        map(cluster.get("spec"), "spec").put("instances", 0);
        List<String> errors = CRD_SCHEMAS.get("postgresql.cnpg.io/v1/Cluster").errors(cluster);
        assertEquals(2, errors.size(), errors.toString());
        assertTrue(errors.contains("spec.primaryUpdateStrategy: sometimes is none of [unsupervised, supervised]"), errors.toString());
        assertTrue(errors.contains("spec.instances: below the minimum 1"), errors.toString());
    }

    // --- the objects themselves

    @ParameterizedTest
    @ValueSource(strings = {"dev", "city"})
    void everyObjectIsAKnownTypeWithItsRequiredFieldsInTheOverlaysNamespace(String overlay) {
        Rendered r = render(overlay);
        Map<Class<?>, Long> count = r.objects().stream().collect(Collectors.groupingBy(Object::getClass, Collectors.counting()));
        assertEquals(3L, count.get(Deployment.class), overlay + ": a Deployment per service");
        assertEquals(1L, count.get(CnpgCluster.class), overlay + ": one PostgreSQL cluster");
        String namespace = meta(r.objects().get(0)).getNamespace();
        assertNotNull(namespace, overlay + ": the overlay sets the namespace");
        for (Object o : r.objects()) {
            ObjectMeta m = meta(o);
            assertNotNull(m.getName(), overlay + ": every object has a name");
            assertTrue(m.getName().matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") && m.getName().length() <= 63,
                    overlay + ": " + m.getName() + " is a DNS label");
            assertEquals(namespace, m.getNamespace(), overlay + ": " + m.getName() + " in the overlay's namespace");
            assertEquals("duban", m.getLabels() == null ? null : m.getLabels().get("app.kubernetes.io/part-of"),
                    overlay + ": " + m.getName() + " carries app.kubernetes.io/part-of: duban");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "city"})
    void everyDeploymentSelectsItsPodsAndLeavesReplicasToItsAutoscaler(String overlay) {
        Rendered r = render(overlay);
        for (String svc : ServiceConfig.APP_SERVICES) {
            Deployment d = r.one(Deployment.class, svc);
            Map<String, String> selector = d.getSpec().getSelector().getMatchLabels();
            assertFalse(selector == null || selector.isEmpty(), svc + ": the Deployment has a selector");
            assertTrue(d.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector.entrySet()),
                    svc + ": the Deployment's selector must select its own pod template");
            assertNull(d.getSpec().getReplicas(), svc + ": replicas belong to the HorizontalPodAutoscaler;"
                    + " a Deployment that sets them is reset to that number by every apply");
            Container c = container(d);
            assertNotNull(c.getImage(), svc + ": image");
            assertTrue(c.getImage().matches("(.+/)?duban/" + svc + "(:[\\w.-]+)?"), svc + ": the image is the service's: " + c.getImage());
            assertEquals(List.of(Integer.valueOf(ServiceConfig.httpPort(svc))),
                    c.getPorts().stream().map(ContainerPort::getContainerPort).toList(), svc + ": the container's port is quarkus.http.port");
            assertEquals("http", c.getPorts().get(0).getName(), svc + ": the port is named http (the probes and the Service use the name)");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "city"})
    void everyServiceSelectsADeploymentsPodsOnAPortTheyListenOn(String overlay) {
        Rendered r = render(overlay);
        assertEquals(3, r.all(Service.class).size(), overlay + ": a Service per service");
        for (Service s : r.all(Service.class)) {
            String name = s.getMetadata().getName();
            Map<String, String> selector = s.getSpec().getSelector();
            assertFalse(selector == null || selector.isEmpty(), name + ": a Service without a selector selects nothing");
            List<Deployment> selected = r.all(Deployment.class).stream()
                    .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).toList();
            assertEquals(1, selected.size(), name + ": must select the pods of exactly one Deployment");
            assertEquals(name, selected.get(0).getMetadata().getName(), "the Service is named after its Deployment (the services call each other by it)");
            for (ServicePort p : s.getSpec().getPorts()) {
                ContainerPort target = containerPort(container(selected.get(0)), p.getTargetPort() == null ? new IntOrString(p.getPort()) : p.getTargetPort())
                        .orElseThrow(() -> new AssertionError(name + ": targetPort " + p.getTargetPort() + " is no container port"));
                assertEquals(p.getPort(), target.getContainerPort(), name + ": the Service's port is the service's own port, as in compose");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "city"})
    void everyDeploymentHasStartupReadinessAndLivenessProbesOnQuarkusHealth(String overlay) {
        for (String svc : ServiceConfig.APP_SERVICES) {
            assertTrue(ServiceConfig.read(svc + "/pom.xml").contains("<artifactId>quarkus-smallrye-health</artifactId>"),
                    svc + ": the probes need quarkus-smallrye-health");
            var config = ServiceConfig.config(svc);
            assertNull(config.getProperty("quarkus.smallrye-health.root-path"), svc + ": health must stay at /q/health");
            assertNull(config.getProperty("quarkus.http.non-application-root-path"), svc + ": health must stay at /q/health");
            Container c = container(render(overlay).one(Deployment.class, svc));
            Map<String, Probe> probes = Map.of("startup", nonNull(c.getStartupProbe(), svc + ": startupProbe"),
                    "readiness", nonNull(c.getReadinessProbe(), svc + ": readinessProbe"),
                    "liveness", nonNull(c.getLivenessProbe(), svc + ": livenessProbe"));
            probes.forEach((kind, probe) -> {
                HTTPGetAction get = nonNull(probe.getHttpGet(), svc + ": the " + kind + " probe is an HTTP GET");
                assertEquals(HEALTH.get(kind), get.getPath(), svc + ": the " + kind + " probe's path");
                assertTrue(containerPort(c, get.getPort()).isPresent(), svc + ": the " + kind + " probe's port is the container's");
            });
            Probe startup = probes.get("startup");
            int startupSeconds = startup.getPeriodSeconds() * startup.getFailureThreshold();
            assertTrue(startupSeconds >= 120, svc + ": the startup probe must allow for a slow start (Flyway, a loaded node:"
                    + " bench/results.md measured 65 s): " + startupSeconds + " s");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "city"})
    void everyContainerRunsAsTheImagesUnprivilegedUserOnAReadOnlyRootWithAWritableTmp(String overlay) {
        Matcher uid = Pattern.compile("useradd [^\\n]*--uid (\\d+)").matcher(ServiceConfig.read("Dockerfile"));
        assertTrue(uid.find(), "the Dockerfile creates its user with a fixed uid");
        long imageUid = Long.parseLong(uid.group(1));
        for (String svc : ServiceConfig.APP_SERVICES) {
            Deployment d = render(overlay).one(Deployment.class, svc);
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), svc + ": runAsNonRoot");
            assertEquals(imageUid, pod.getSecurityContext().getRunAsUser(), svc + ": runs as the image's user (a numeric id, which runAsNonRoot can check)");
            Container c = container(d);
            assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem(), svc + ": read-only root file system");
            assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation(), svc + ": no privilege escalation");
            assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop(), svc + ": drops every capability");
            Set<String> volumes = pod.getVolumes().stream().map(Volume::getName).collect(Collectors.toSet());
            for (VolumeMount m : c.getVolumeMounts()) {
                assertTrue(volumes.contains(m.getName()), svc + ": mounts volume " + m.getName() + ", which the pod lacks");
            }
            VolumeMount tmp = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst()
                    .orElseThrow(() -> new AssertionError(svc + ": a read-only root needs a writable /tmp (JVM, Vert.x, POI's temporary files)"));
            assertNotNull(volume(pod, tmp.getName()).getEmptyDir(), svc + ": /tmp is an emptyDir");
        }
    }

    /**
     * The heap bound of the image (-Xmx160m, as compose and run-local.sh) must fit the container. Java 25
     * from an AOT cache holds ~235-260 MiB outside the heap's resident part after load (the cache's classes
     * 114, code cache, C heap, libjvm: bench/results.md, "Java 25 and its AOT cache as the product's
     * runtime"; 319 MiB in all). The request covers the heap and the part of the rest a warm service
     * touches; the limit covers the whole heap, all of the rest, and headroom: a limit below it gets the pod
     * OOM-killed instead of the JVM's own error.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "city"})
    void everyContainersMemoryMatchesTheHeapBound(String overlay) {
        for (String svc : ServiceConfig.APP_SERVICES) {
            Container c = container(render(overlay).one(Deployment.class, svc));
            String options = c.getEnv().stream().filter(e -> e.getName().equals("JDK_JAVA_OPTIONS")).map(EnvVar::getValue)
                    .findFirst().orElse(ServiceConfig.imageJvmOptions());
            long heap = ServiceConfig.heapMiB(options);
            assertTrue(heap > 0, svc + ": the JVM options must bound the heap: " + options);
            ResourceRequirements res = c.getResources();
            long request = mib(res.getRequests().get("memory"), svc + " requests.memory");
            long limit = mib(res.getLimits().get("memory"), svc + " limits.memory");
            assertTrue(request >= heap + 128, svc + ": requests.memory " + request + " Mi must cover the heap " + heap
                    + " Mi and what a warm service was measured to hold outside it");
            assertTrue(limit >= heap + 280, svc + ": limits.memory " + limit + " Mi must cover the heap " + heap
                    + " Mi, the ~260 Mi outside it, and headroom");
            assertTrue(limit <= 3 * heap, svc + ": limits.memory " + limit + " Mi for a heap of " + heap + " Mi wastes the node's memory");
            assertTrue(limit >= request, svc + ": limit below request");
            assertNotNull(res.getRequests().get("cpu"), svc + ": the CPU autoscaler measures against requests.cpu");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "city"})
    void everyAutoscalerAndBudgetTargetsOneDeployment(String overlay) {
        Rendered r = render(overlay);
        for (String svc : ServiceConfig.APP_SERVICES) {
            Deployment d = r.one(Deployment.class, svc);
            List<HorizontalPodAutoscaler> hpas = r.all(HorizontalPodAutoscaler.class).stream()
                    .filter(h -> svc.equals(h.getSpec().getScaleTargetRef().getName())).toList();
            assertEquals(1, hpas.size(), svc + ": one HorizontalPodAutoscaler");
            HorizontalPodAutoscaler hpa = hpas.get(0);
            assertEquals("apps/v1", hpa.getSpec().getScaleTargetRef().getApiVersion(), svc + ": the autoscaler targets apps/v1");
            assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind(), svc + ": the autoscaler targets the Deployment");
            int min = hpa.getSpec().getMinReplicas();
            assertTrue(min >= 1 && min <= hpa.getSpec().getMaxReplicas(), svc + ": 1 <= minReplicas <= maxReplicas");
            assertFalse(hpa.getSpec().getMetrics().isEmpty(), svc + ": the autoscaler has a metric");

            Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
            List<PodDisruptionBudget> pdbs = r.all(PodDisruptionBudget.class).stream()
                    .filter(p -> podLabels.entrySet().containsAll(p.getSpec().getSelector().getMatchLabels().entrySet())).toList();
            assertEquals(1, pdbs.size(), svc + ": one PodDisruptionBudget selects its pods");
            PodDisruptionBudget pdb = pdbs.get(0);
            assertTrue(pdb.getSpec().getMinAvailable() == null ^ pdb.getSpec().getMaxUnavailable() == null,
                    svc + ": a budget sets minAvailable or maxUnavailable, not both");
            if (pdb.getSpec().getMinAvailable() != null) {
                assertTrue(pdb.getSpec().getMinAvailable().getIntVal() < min,
                        svc + ": minAvailable must stay below minReplicas, or no node can ever be drained");
            }
            if (overlay.equals("city")) {
                assertTrue(min >= 2, svc + ": the city runs at least two replicas: minReplicas " + min);
                assertEquals(new IntOrString(1), pdb.getSpec().getMinAvailable(), svc + ": the city keeps one replica through a disruption");
            } else {
                assertEquals(1, min, svc + ": dev runs one replica");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "city"})
    void everyConfigMapAndSecretReferencedExistsOrIsListedAsExternal(String overlay) {
        Rendered r = render(overlay);
        Map<String, ExternalSecret> external = externalSecrets();
        for (String svc : ServiceConfig.APP_SERVICES) {
            PodSpec pod = r.one(Deployment.class, svc).getSpec().getTemplate().getSpec();
            Container c = container(r.one(Deployment.class, svc));
            for (EnvFromSource from : c.getEnvFrom()) {
                assertNull(from.getSecretRef(), svc + ": secrets come key by key (env), so that each is listed");
                r.configMap(from.getConfigMapRef().getName());
            }
            for (EnvVar e : c.getEnv()) {
                if (e.getValueFrom() == null) {
                    continue;
                }
                if (e.getValueFrom().getConfigMapKeyRef() != null) {
                    var ref = e.getValueFrom().getConfigMapKeyRef();
                    assertTrue(r.configMap(ref.getName()).getData().containsKey(ref.getKey()), svc + ": " + e.getName() + ": no key " + ref.getKey());
                } else {
                    SecretKeySelector ref = nonNull(e.getValueFrom().getSecretKeyRef(), svc + ": " + e.getName() + ": only ConfigMap and Secret keys");
                    ExternalSecret s = external(external, ref.getName(), ref.getKey(), svc + ": " + e.getName());
                    assertEquals(s.optional(), Boolean.TRUE.equals(ref.getOptional()),
                            svc + ": " + e.getName() + ": optional: true exactly when " + ref.getName() + " is listed as optional");
                }
            }
            for (Volume v : pod.getVolumes()) {
                if (v.getSecret() != null) {
                    external(external, v.getSecret().getSecretName(), null, svc + ": volume " + v.getName());
                }
                if (v.getConfigMap() != null) {
                    r.configMap(v.getConfigMap().getName());
                }
            }
        }
        CnpgCluster db = r.all(CnpgCluster.class).get(0);
        for (CnpgCluster.Role role : db.spec().managed().roles()) {
            ExternalSecret s = external(external, role.passwordSecret().name(), "password", "Cluster role " + role.name());
            assertEquals("kubernetes.io/basic-auth", s.type(), role.passwordSecret().name() + ": CloudNativePG takes role passwords from basic-auth Secrets");
            assertFalse(s.optional(), role.passwordSecret().name());
        }
        for (CnpgCluster.KeyRef ref : db.spec().bootstrap().initdb().postInitApplicationSQLRefs().configMapRefs()) {
            assertTrue(r.configMap(ref.name()).getData().containsKey(ref.key()), "initdb: ConfigMap " + ref.name() + " has no key " + ref.key());
        }
        if (db.spec().backup() != null) {
            var s3 = db.spec().backup().barmanObjectStore().s3Credentials();
            external(external, s3.accessKeyId().name(), s3.accessKeyId().key(), "backup accessKeyId");
            external(external, s3.secretAccessKey().name(), s3.secretAccessKey().key(), "backup secretAccessKey");
        }
        for (Ingress i : r.all(Ingress.class)) {
            for (IngressTLS tls : Objects.requireNonNullElse(i.getSpec().getTls(), List.<IngressTLS>of())) {
                assertEquals("kubernetes.io/tls", external(external, tls.getSecretName(), "tls.crt", "Ingress TLS").type());
            }
        }
    }

    @Test
    void everyExternalSecretIsUsedAndTheReadmeSaysHowToCreateIt() {
        Set<String> used = new LinkedHashSet<>();
        for (String overlay : OVERLAYS) {
            Rendered r = render(overlay);
            for (Deployment d : r.all(Deployment.class)) {
                PodSpec pod = d.getSpec().getTemplate().getSpec();
                pod.getContainers().forEach(c -> c.getEnv().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                        .forEach(e -> used.add(e.getValueFrom().getSecretKeyRef().getName())));
                pod.getVolumes().stream().filter(v -> v.getSecret() != null).forEach(v -> used.add(v.getSecret().getSecretName()));
            }
            r.all(CnpgCluster.class).forEach(c -> {
                c.spec().managed().roles().forEach(role -> used.add(role.passwordSecret().name()));
                if (c.spec().backup() != null) {
                    used.add(c.spec().backup().barmanObjectStore().s3Credentials().accessKeyId().name());
                    used.add(c.spec().backup().barmanObjectStore().s3Credentials().secretAccessKey().name());
                }
            });
            r.all(Ingress.class).forEach(i -> Objects.requireNonNullElse(i.getSpec().getTls(), List.<IngressTLS>of())
                    .forEach(t -> used.add(t.getSecretName())));
        }
        String readme = ServiceConfig.read("deploy/k8s/README.md");
        for (String name : externalSecrets().keySet()) {
            assertTrue(used.contains(name), "external-secrets.yaml lists " + name + ", which no manifest uses");
            assertTrue(readme.contains(name), "deploy/k8s/README.md must say how to create the Secret " + name);
        }
    }

    /** As ComposeFileTest for compose: what a service's configuration needs, its Deployment sets. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "city"})
    void everyVariableAServicesConfigurationNeedsIsSetAndEverySetOneConfiguresSomething(String overlay) {
        Rendered r = render(overlay);
        for (String svc : ServiceConfig.APP_SERVICES) {
            Map<String, String> env = environment(r, svc);
            for (String name : ServiceConfig.requiredPlaceholders(svc)) {
                assertTrue(ServiceConfig.isSet(svc, env.keySet(), name),
                        overlay + ": " + svc + ": application.properties needs ${" + name + "}, the Deployment does not set it");
            }
            Set<String> known = ServiceConfig.knownVariables(svc);
            for (String name : env.keySet()) {
                if (name.startsWith("QUARKUS_") || name.startsWith("DUBAN_")) {
                    assertTrue(known.contains(name), overlay + ": " + svc + ": " + name
                            + " is neither a key of application.properties nor a placeholder in it");
                }
            }
            for (String name : List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
                    "QUARKUS_FLYWAY_USERNAME", "QUARKUS_FLYWAY_PASSWORD", "DUBAN_JWT_PUBLIC_KEY_LOCATION")) {
                assertTrue(env.containsKey(name), overlay + ": " + svc + ": " + name + " must be set (the defaults are for a developer's machine)");
            }
        }
    }

    /** Every *_LOCATION of a key is a file of a mounted Secret that has that key. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "city"})
    void everyKeyLocationIsAFileOfAMountedSecret(String overlay) {
        Rendered r = render(overlay);
        Map<String, ExternalSecret> external = externalSecrets();
        for (String svc : ServiceConfig.APP_SERVICES) {
            Deployment d = r.one(Deployment.class, svc);
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            environment(r, svc).forEach((name, value) -> {
                if (!name.endsWith("_KEY_LOCATION") || value.isEmpty()) {
                    return;
                }
                Path file = Path.of(value);
                VolumeMount mount = container(d).getVolumeMounts().stream().filter(m -> file.getParent().equals(Path.of(m.getMountPath())))
                        .findFirst().orElseThrow(() -> new AssertionError(svc + ": " + name + "=" + value + " is in no mounted folder"));
                Volume v = volume(pod, mount.getName());
                assertNotNull(v.getSecret(), svc + ": " + name + ": keys come from Secrets");
                external(external, v.getSecret().getSecretName(), file.getFileName().toString(), svc + ": " + name);
            });
        }
    }

    /** Every http://host:port in a service's environment names a Service of the overlay and its port. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "city"})
    void everyServiceUrlNamesAServiceAndItsPort(String overlay) {
        Rendered r = render(overlay);
        Set<String> services = r.all(Service.class).stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
        for (String svc : ServiceConfig.APP_SERVICES) {
            environment(r, svc).forEach((name, value) -> {
                if (!value.startsWith("http://")) {
                    return;
                }
                URI uri = URI.create(value);
                if (uri.getHost().contains(".")) {
                    return; // outside the cluster
                }
                if (uri.getHost().equals("localhost")) {
                    assertEquals("DUBAN_LINK_BASE_URL", name, svc + ": " + name + " points at localhost, which is the pod itself");
                    return;
                }
                assertTrue(services.contains(uri.getHost()), svc + ": " + name + " names " + uri.getHost() + ", no Service of the overlay");
                Service target = r.one(Service.class, uri.getHost());
                assertTrue(target.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == uri.getPort()),
                        svc + ": " + name + ": " + uri.getHost() + " has no port " + uri.getPort());
            });
        }
    }

    // --- PostgreSQL

    @ParameterizedTest
    @ValueSource(strings = {"dev", "city"})
    void everyServiceConnectsToTheClusterInItsOwnSchemaWithRolesTheClusterManages(String overlay) {
        Rendered r = render(overlay);
        CnpgCluster db = r.all(CnpgCluster.class).get(0);
        String cluster = db.metadata().getName();
        Map<String, String> managed = db.spec().managed().roles().stream()
                .peek(role -> assertEquals("present", role.ensure(), role.name()))
                .peek(role -> assertEquals(Boolean.TRUE, role.login(), role.name() + " logs in"))
                .collect(Collectors.toMap(CnpgCluster.Role::name, role -> role.passwordSecret().name()));
        Set<String> expectedRoles = new LinkedHashSet<>();
        for (String svc : ServiceConfig.APP_SERVICES) {
            Map<String, String> env = environment(r, svc);
            Map<String, String> secrets = secretEnv(r, svc);
            String schema = svc.replace("-service", "");
            URI uri = URI.create(env.get("QUARKUS_DATASOURCE_JDBC_URL").substring("jdbc:".length()));
            assertEquals("postgresql", uri.getScheme(), svc);
            assertEquals(cluster + "-rw", uri.getHost(), svc + ": connects to the primary (" + cluster + "-rw): it writes its own schema");
            assertEquals(5432, uri.getPort(), svc);
            assertEquals("/" + db.spec().bootstrap().initdb().database(), uri.getPath(), svc + ": the database initdb creates");
            assertEquals("currentSchema=" + schema, uri.getQuery(), svc + " works in its own schema");
            for (String role : List.of("duban_" + schema, "duban_" + schema + "_owner")) {
                expectedRoles.add(role);
                String user = role.endsWith("_owner") ? "QUARKUS_FLYWAY" : "QUARKUS_DATASOURCE";
                assertEquals(role, env.get(user + "_USERNAME"), svc + ": " + user + "_USERNAME");
                assertEquals(managed.get(role), secrets.get(user + "_PASSWORD"),
                        svc + ": " + user + "_PASSWORD must come from the Secret the cluster sets " + role + "'s password from");
            }
        }
        assertEquals(expectedRoles, managed.keySet(), "the cluster manages exactly the services' roles (db/init-roles.sql)");
        for (String role : expectedRoles) {
            assertTrue(ServiceConfig.read("db/init-roles.sql").contains("'" + role.replaceAll("duban_|_owner", "") + "'"),
                    "db/init-roles.sql creates " + role);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "city"})
    void theClusterIsBootstrappedWithDbInitRolesSql(String overlay) throws IOException {
        Rendered r = render(overlay);
        CnpgCluster db = r.all(CnpgCluster.class).get(0);
        assertEquals("duban", db.spec().bootstrap().initdb().database(), "the database compose and run-local.sh use");
        List<CnpgCluster.KeyRef> refs = db.spec().bootstrap().initdb().postInitApplicationSQLRefs().configMapRefs();
        assertEquals(1, refs.size());
        String sql = r.configMap(refs.get(0).name()).getData().get(refs.get(0).key());
        assertEquals(Files.readString(ROOT.resolve("db/init-roles.sql")), sql,
                "the cluster runs db/init-roles.sql as it is (deploy/k8s/base/init-roles.sql must be a copy of it)");
        assertEquals(overlay.equals("city") ? 3 : 1, db.spec().instances(), overlay + ": PostgreSQL instances");
        mib(new Quantity(db.spec().storage().size()), "storage.size");
        assertTrue(db.spec().imageName().matches(".+:15(\\.\\d+)?(-.*)?"), "PostgreSQL 15, as quarkus.datasource.db-version: " + db.spec().imageName());
    }

    @Test
    void theCityBacksUpItsClusterNightlyAndArchivesTheWal() {
        Rendered r = render("city");
        CnpgCluster db = r.all(CnpgCluster.class).get(0);
        List<CnpgScheduledBackup> backups = r.all(CnpgScheduledBackup.class);
        assertEquals(1, backups.size(), "city: one ScheduledBackup");
        CnpgScheduledBackup b = backups.get(0);
        assertEquals(db.metadata().getName(), b.spec().cluster().name(), "the ScheduledBackup backs up the cluster");
        assertEquals(6, b.spec().schedule().trim().split("\\s+").length, "CloudNativePG's schedule has six fields (seconds first): " + b.spec().schedule());
        assertEquals("barmanObjectStore", b.spec().method());
        CnpgCluster.Backup backup = nonNull(db.spec().backup(), "the cluster's spec.backup says where backups go");
        assertTrue(backup.barmanObjectStore().destinationPath().matches("(s3|gs|https?)://.+"), "destinationPath");
        assertTrue(render("dev").all(CnpgScheduledBackup.class).isEmpty(), "dev has no object store and no backups");
    }

    // --- Ingress

    @ParameterizedTest
    @ValueSource(strings = {"dev", "city"})
    void theIngressRoutesEveryApiPathToTheServiceThatAnswersIt(String overlay) {
        Rendered r = render(overlay);
        List<Ingress> ingresses = r.all(Ingress.class);
        assertEquals(1, ingresses.size(), overlay + ": one Ingress");
        Map<String, String> routes = new LinkedHashMap<>();
        for (IngressRule rule : ingresses.get(0).getSpec().getRules()) {
            for (HTTPIngressPath p : rule.getHttp().getPaths()) {
                assertEquals("Prefix", p.getPathType(), p.getPath());
                assertTrue(p.getPath().startsWith("/api/v1/") && !p.getPath().endsWith("/"), p.getPath());
                String backend = p.getBackend().getService().getName();
                Service s = r.one(Service.class, backend);
                String port = p.getBackend().getService().getPort().getName();
                assertTrue(s.getSpec().getPorts().stream().anyMatch(sp -> Objects.equals(port, sp.getName())
                        || Objects.equals(p.getBackend().getService().getPort().getNumber(), sp.getPort())),
                        p.getPath() + ": " + backend + " has no port " + p.getBackend().getService().getPort());
                assertNull(routes.put(p.getPath(), backend), p.getPath() + " is routed twice");
            }
        }
        Set<String> usedRoutes = new LinkedHashSet<>();
        Map<String, Set<String>> answeredBy = jaxRsPaths();
        assertTrue(answeredBy.size() > 20, "the JAX-RS paths were found: " + answeredBy.keySet());
        answeredBy.forEach((path, services) -> {
            String route = routes.keySet().stream().filter(prefix -> path.equals(prefix) || path.startsWith(prefix + "/"))
                    .max((a, b) -> Integer.compare(a.length(), b.length())).orElse(null);
            if (INTERNAL_PATHS.stream().anyMatch(i -> path.equals(i) || path.startsWith(i + "/"))) {
                assertNull(route, path + " is for the cluster only, yet the Ingress routes it");
                return;
            }
            assertNotNull(route, path + " (" + services + ") is not routed by the Ingress");
            assertTrue(services.contains(routes.get(route)), path + " is answered by " + services + " but routed to " + routes.get(route));
            usedRoutes.add(route);
        });
        assertEquals(routes.keySet(), usedRoutes, "every Ingress path leads to resources of its service");
    }

    /** Each JAX-RS path of the services (class @Path + method @Path, {params} as "x"), and who answers it. */
    private static Map<String, Set<String>> jaxRsPaths() {
        Map<String, Set<String>> paths = new LinkedHashMap<>();
        Pattern at = Pattern.compile("@Path\\(\"([^\"]*)\"\\)");
        for (String svc : ServiceConfig.APP_SERVICES) {
            for (String module : List.of(svc, "duban-common")) {
                try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                        String src = Files.readString(f);
                        Matcher m = at.matcher(src);
                        int classDecl = src.indexOf(" class ");
                        String base = null;
                        int methodPaths = 0;
                        while (m.find()) {
                            if (m.start() < classDecl) {
                                base = m.group(1);
                            } else if (base != null) {
                                methodPaths++;
                                paths.computeIfAbsent(normalise(base + "/" + m.group(1)), k -> new LinkedHashSet<>()).add(svc);
                            }
                        }
                        // The class's own path is a resource when some operation has no @Path of its own.
                        if (base != null && HTTP_METHOD.matcher(src).results().count() > methodPaths) {
                            paths.computeIfAbsent(normalise(base), k -> new LinkedHashSet<>()).add(svc);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return paths;
    }

    private static final Pattern HTTP_METHOD = Pattern.compile("(?m)^\\s*@(GET|POST|PUT|DELETE|PATCH|HEAD)\\b");

    private static String normalise(String path) {
        return ("/" + path).replaceAll("\\{[^}]*}", "x").replaceAll("/+", "/").replaceAll("(.)/$", "$1");
    }

    // --- helpers

    /** The environment of a service's container: env, then every ConfigMap it takes whole (envFrom). */
    private static Map<String, String> environment(Rendered r, String svc) {
        Container c = container(r.one(Deployment.class, svc));
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : c.getEnvFrom()) {
            env.putAll(r.configMap(from.getConfigMapRef().getName()).getData());
        }
        for (EnvVar e : c.getEnv()) {
            env.put(e.getName(), e.getValue() != null ? e.getValue() : "<from " + e.getValueFrom() + ">");
        }
        return env;
    }

    /** The variables a service's container takes from Secrets: name to Secret name. */
    private static Map<String, String> secretEnv(Rendered r, String svc) {
        return container(r.one(Deployment.class, svc)).getEnv().stream()
                .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .collect(Collectors.toMap(EnvVar::getName, e -> e.getValueFrom().getSecretKeyRef().getName()));
    }

    private static Container container(Deployment d) {
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
        assertEquals(1, containers.size(), d.getMetadata().getName() + ": one container");
        assertEquals(d.getMetadata().getName(), containers.get(0).getName(), "the container is named after its Deployment");
        return containers.get(0);
    }

    private static java.util.Optional<ContainerPort> containerPort(Container c, IntOrString port) {
        return c.getPorts().stream().filter(p -> port.getStrVal() != null ? port.getStrVal().equals(p.getName())
                : port.getIntVal().equals(p.getContainerPort())).findFirst();
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static long mib(Quantity q, String what) {
        assertNotNull(q, what);
        BigDecimal bytes = Quantity.getAmountInBytes(q);
        return bytes.divide(BigDecimal.valueOf(1024 * 1024)).longValue();
    }

    private static <T> T nonNull(T value, String what) {
        assertNotNull(value, what);
        return value;
    }

    private static ObjectMeta meta(Object o) {
        if (o instanceof io.fabric8.kubernetes.api.model.HasMetadata h) {
            return h.getMetadata();
        }
        if (o instanceof CnpgCluster c) {
            return c.metadata();
        }
        if (o instanceof CnpgScheduledBackup b) {
            return b.metadata();
        }
        throw new AssertionError("no metadata: " + o.getClass());
    }

    /** deploy/k8s/external-secrets.yaml: the Secrets the manifests name but do not contain. */
    record ExternalSecret(String name, String type, List<String> keys, boolean optional) {
    }

    private static Map<String, ExternalSecret> externalSecrets() {
        Map<String, Object> file = map(new Yaml().load(ServiceConfig.read("deploy/k8s/external-secrets.yaml")), "external-secrets.yaml");
        Map<String, ExternalSecret> secrets = new LinkedHashMap<>();
        for (Object o : list(file.get("secrets"), "secrets")) {
            Map<String, Object> s = map(o, "secret");
            assertTrue(Set.of("name", "type", "keys", "optional").containsAll(s.keySet()), "external-secrets.yaml: " + s.keySet());
            ExternalSecret e = new ExternalSecret(String.valueOf(s.get("name")), String.valueOf(s.get("type")),
                    list(s.get("keys"), "keys").stream().map(String::valueOf).toList(), Boolean.TRUE.equals(s.get("optional")));
            assertNull(secrets.put(e.name(), e), e.name() + " listed twice");
        }
        return secrets;
    }

    private static ExternalSecret external(Map<String, ExternalSecret> external, String name, String key, String what) {
        ExternalSecret s = external.get(name);
        assertNotNull(s, what + ": the Secret " + name + " is not in deploy/k8s/external-secrets.yaml");
        assertTrue(key == null || s.keys().contains(key), what + ": the Secret " + name + " is not listed with key " + key);
        return s;
    }

    /**
     * Fails on any field the typed model does not know: fabric8's models keep unknown fields in
     * additionalProperties rather than refusing them, so every object of the tree is visited.
     */
    private static void noUnknownFields(Object o, String path) {
        if (o == null) {
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> noUnknownFields(v, path + "." + k));
            return;
        }
        if (o instanceof Collection<?> l) {
            int i = 0;
            for (Object e : l) {
                noUnknownFields(e, path + "[" + i++ + "]");
            }
            return;
        }
        Class<?> c = o.getClass();
        try {
            if (c.isRecord()) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    noUnknownFields(rc.getAccessor().invoke(o), path + "." + rc.getName());
                }
                return;
            }
            if (!c.getName().startsWith("io.fabric8.kubernetes.api.model.")) {
                return;
            }
            for (Method m : c.getMethods()) {
                if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class
                        || !m.getName().startsWith("get")) {
                    continue;
                }
                Object value = m.invoke(o);
                if (m.getName().equals("getAdditionalProperties")) {
                    assertTrue(value == null || ((Map<?, ?>) value).isEmpty(),
                            path + ": unknown field(s) " + (value == null ? "" : ((Map<?, ?>) value).keySet()) + " for " + c.getSimpleName());
                } else {
                    noUnknownFields(value, path + "." + m.getName().substring(3));
                }
            }
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new AssertionError(path + ": " + e, e);
        }
    }

    // --- CloudNativePG's resources as records of the fields deploy/k8s uses (postgresql.cnpg.io/v1), for
    // reading them; their validity is checked against the operator's schema (CRD_SCHEMAS)

    record CnpgCluster(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {
        record Spec(int instances, String imageName, String primaryUpdateStrategy, Storage storage, ResourceRequirements resources,
                Bootstrap bootstrap, Managed managed, Backup backup) {
        }

        record Storage(String size, String storageClass) {
        }

        record Bootstrap(InitDb initdb) {
        }

        record InitDb(String database, String owner, SqlRefs postInitApplicationSQLRefs) {
        }

        record SqlRefs(List<KeyRef> configMapRefs, List<KeyRef> secretRefs) {
            SqlRefs {
                configMapRefs = configMapRefs == null ? List.of() : configMapRefs;
            }
        }

        record KeyRef(String name, String key) {
        }

        record NameRef(String name) {
        }

        record Managed(List<Role> roles) {
        }

        record Role(String name, String ensure, Boolean login, NameRef passwordSecret) {
        }

        record Backup(String retentionPolicy, BarmanObjectStore barmanObjectStore) {
        }

        record BarmanObjectStore(String destinationPath, String endpointURL, S3Credentials s3Credentials, Compression wal,
                Compression data) {
        }

        record S3Credentials(KeyRef accessKeyId, KeyRef secretAccessKey) {
        }

        record Compression(String compression) {
        }
    }

    record CnpgScheduledBackup(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {
        record Spec(String schedule, Boolean immediate, String backupOwnerReference, String method, CnpgCluster.NameRef cluster) {
        }
    }
}
