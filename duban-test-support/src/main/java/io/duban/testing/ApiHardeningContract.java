package io.duban.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every service's OpenAPI document, checked as a whole: the authorization matrix covers exactly its
 * operations and holds, and fuzzed requests to every operation never fail the service, are refused as
 * problem+json, and when refused change nothing. A service's @QuarkusTest extends it and declares its
 * matrix; see {@link AuthorizationMatrix} and {@link OpenApiFuzzer}.
 */
public abstract class ApiHardeningContract {

    /**
     * Who may call what: {@link AuthorizationMatrix#withSharedEndpoints()} plus the service's own. A
     * service with endpoints of its own overrides this; one with only the shared ones need not.
     */
    protected AuthorizationMatrix matrix() {
        return AuthorizationMatrix.withSharedEndpoints();
    }

    /** The fuzzing budget of a plain test run; {@code -Dduban-fuzz.requests} overrides it. */
    protected int fuzzRequests() {
        return 1000;
    }

    /**
     * Tables of the service's schema whose rows only follow others (rebuilt by a trigger), left out of
     * the row counts to keep them cheap; a change to them shows in the tables they follow.
     */
    protected Set<String> derivedTables() {
        return Set.of();
    }

    /** Called before fuzzing starts; a service keeps here what the fuzzer may change and others rely on. */
    protected void beforeFuzzing() {
    }

    /** Called after fuzzing, failed or not: puts back what {@link #beforeFuzzing()} kept. */
    protected void afterFuzzing() {
    }

    @Test
    void theMatrixNamesEveryOperationOfTheDocumentAndNoOther() {
        assertEquals(List.of(), matrix().disagreementsWith(OpenApiDocument.ofServiceUnderTest()));
    }

    @Test
    void anOperationWithoutAMatrixEntryIsCaught() {
        OpenApiDocument doc = OpenApiDocument.ofServiceUnderTest();
        for (OpenApiDocument.Operation op : doc.operations()) {
            List<String> gaps = matrix().without(op.key()).disagreementsWith(doc);
            assertEquals(1, gaps.size(), op.key() + ": " + gaps);
            assertTrue(gaps.get(0).startsWith(op.key() + " is in the OpenAPI document but not in the authorization matrix"),
                    gaps.get(0));
        }
    }

    @Test
    void everyOperationAnswersEachRoleAsTheMatrixSays() {
        try (RowFingerprint rows = RowFingerprint.ofServiceUnderTest(derivedTables())) {
            matrix().verify(OpenApiDocument.ofServiceUnderTest(), rows);
        }
    }

    @Test
    void fuzzedRequestsNeverFailTheServiceAndRefusedOnesChangeNothing() {
        OpenApiDocument doc = OpenApiDocument.ofServiceUnderTest();
        AuthorizationMatrix matrix = matrix();
        int requests = OpenApiFuzzer.requests(fuzzRequests());
        OpenApiFuzzer.Result result;
        beforeFuzzing();
        try (RowFingerprint rows = RowFingerprint.ofServiceUnderTest(derivedTables())) {
            result = new OpenApiFuzzer(doc, matrix, rows).run(OpenApiFuzzer.seed(), requests);
        } finally {
            afterFuzzing();
        }
        result.assertClean();
        Set<String> operations = doc.operations().stream().map(OpenApiDocument.Operation::key)
                .collect(Collectors.toCollection(TreeSet::new));
        if (requests >= 20 * operations.size()) {
            assertEquals(operations, result.perOperation().keySet(), "every operation was fuzzed (" + result.summary() + ")");
            assertTrue(result.statuses().containsKey("2xx"), "some fuzzed requests got through (" + result.summary() + ")");
        }
    }
}
