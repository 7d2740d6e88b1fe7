package io.duban.notification.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.common.problem.Messages;
import io.duban.testing.MessageCatalogue;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The problems notification-service raises read well in Chinese and in English. */
class EventProblemsTest {

    @Test
    void bothLanguagesHaveTheSameMessagesAndEveryRaisedProblemIsExplained() {
        assertEquals(Set.of(), MessageCatalogue.languageGaps("messages.problems"));
        Set<String> raised = MessageCatalogue.raisedIn(Path.of("src/main/java"));
        assertTrue(raised.contains("event-unknown-version") && raised.contains("event-invalid"), raised.toString());
        assertEquals(Set.of(), MessageCatalogue.unexplained(raised));
        assertEquals("事件的 schemaVersion 为 2，本服务只接受版本 1。",
                Messages.get(Locale.SIMPLIFIED_CHINESE, "detail.event-unknown-version", "2", 1));
    }
}
