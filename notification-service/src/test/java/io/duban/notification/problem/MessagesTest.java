package io.duban.notification.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.common.problem.Messages;
import io.duban.testing.MessageCatalogue;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every problem notification-service can raise reads well in Chinese and in English. */
class MessagesTest {

    @Test
    void bothLanguagesHaveTheSameMessages() {
        assertEquals(Set.of(), MessageCatalogue.languageGaps("messages.problems"));
        assertEquals("未找到该通知（42），或您无权查看。", Messages.get(Locale.SIMPLIFIED_CHINESE, "detail.not-found",
                new Messages.Key("notice"), "42"));
        assertEquals("No notification 42, or you may not see it.", Messages.get(Locale.ENGLISH, "detail.not-found",
                new Messages.Key("notice"), "42"));
    }

    @Test
    void everyProblemRaisedInTheCodeHasATitleAndADetailOrAFieldMessage() {
        Set<String> raised = MessageCatalogue.raisedIn(Path.of("src/main/java"));
        assertTrue(raised.contains("notice-not-urge") || raised.contains("reminders.chainOrder"),
                "the scan finds the problems: " + raised);
        assertEquals(Set.of(), MessageCatalogue.unexplained(raised));
    }
}
