package io.duban.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a service's @QuarkusTest at its module's own test database ({@link TestDatabase}) and its
 * own schema, and lets Flyway clean and migrate it at start. The module comes from the
 * {@code duban-tests.module} system property, which the parent pom sets to the artifact id.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String module = System.getProperty("duban-tests.module");
        if (module == null || module.isBlank()) {
            throw new IllegalStateException("duban-tests.module is not set (the parent pom's surefire configuration sets it)");
        }
        TestDatabase db = TestDatabase.forModule(module).prepare();
        return Map.of(
                "quarkus.datasource.jdbc.url", db.jdbcUrl(module.replace("-service", "")),
                "quarkus.flyway.clean-at-start", "true",
                "quarkus.flyway.clean-disabled", "false");
    }

    @Override
    public void stop() {
    }
}
