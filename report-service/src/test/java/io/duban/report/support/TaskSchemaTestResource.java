package io.duban.report.support;

import io.duban.testing.PostgresTestResource;
import io.duban.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * report-service's test database as a deployment has it: the roles and schemas of db/init-roles.sql,
 * task-service's schema and reporting views migrated by task-service's own migrations (read from
 * ../task-service, as its owner role, exactly as task-service's Flyway runs them), and report-service's
 * schema, which its own Flyway cleans and migrates at start. Task data is then written by the tests
 * as the owner with triggers on ({@link TaskData}), since report-service itself may only read.
 */
public class TaskSchemaTestResource implements QuarkusTestResourceLifecycleManager {

    static final Path MIGRATIONS = Path.of("../task-service/src/main/resources/db/migration");

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new PostgresTestResource().start();
        migrateTaskSchema();
        return config;
    }

    public static void migrateTaskSchema() {
        if (!Files.isDirectory(MIGRATIONS)) {
            throw new IllegalStateException("task-service's migrations are not at " + MIGRATIONS.toAbsolutePath());
        }
        TestDatabase db = TestDatabase.forModule("report-service");
        Flyway flyway = Flyway.configure()
                .dataSource(db.jdbcUrl("task"), "duban_task_owner", "duban_task_owner")
                .locations("filesystem:" + MIGRATIONS.toAbsolutePath())
                .schemas("task", "reporting").defaultSchema("task").table("task_schema_history")
                .placeholders(Map.of("runtime_role", "duban_task"))
                .cleanDisabled(false)
                .load();
        flyway.clean();
        flyway.migrate();
    }

    @Override
    public void stop() {
    }
}
