package io.duban.task.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.task.support.Fixture;
import io.duban.testing.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The relay's own loop, running as in production (the scheduler on) with an interval of a minute: an
 * event still reaches the receiver within seconds of the commit that wrote it, because that commit
 * wakes the loop; the interval only bounds the wait for events other instances wrote.
 */
@QuarkusTest
@TestProfile(RelayLoopTest.LoopRuns.class)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RelayReceiverPort.class, scope = TestResourceScope.GLOBAL)
class RelayLoopTest extends RelayReceiving {

    public static class LoopRuns implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "true", "duban.relay.interval", "PT1M");
        }
    }

    @Test
    void aCommitThatWritesEventsWakesTheRelayLongBeforeItsInterval() throws Exception {
        // Twice: the first wakes the loop out of its start-up wait, the second out of an idle interval.
        for (int round = 0; round < 2; round++) {
            long start = System.nanoTime();
            UUID item = UUID.fromString(Fixture.dispatched(Fixture.unit("L"), List.of(Fixture.unit("A"))));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (receiver.of(item).size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertEquals(2, receiver.of(item).size(), "both dispatch events arrived, round " + round);
            assertTrue(seconds < 10, "well within the 60 s interval: " + seconds + " s");
            Thread.sleep(1000); // the loop goes back to waiting for work
        }
    }
}
