package io.duban.notification.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duban.common.problem.Messages;
import io.duban.testing.MessageCatalogue;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The problems the deliveries and subscriptions raise read well in Chinese and in English. */
class DeliveryMessagesTest {

    @Test
    void bothLanguagesHaveTheSameMessages() {
        assertEquals(Set.of(), MessageCatalogue.languageGaps("messages.problems"));
        assertEquals("该投递的状态为“已投递”，只有“投递失败”的记录可以重试。", Messages.get(Locale.SIMPLIFIED_CHINESE,
                "detail.delivery-not-failed", new Messages.Key("status.SENT")));
        assertEquals("未找到该订阅（42），或您无权查看。", Messages.get(Locale.SIMPLIFIED_CHINESE, "detail.not-found",
                new Messages.Key("subscription"), "42"));
    }

    @Test
    void everyProblemTheDeliveriesRaiseIsExplained() {
        Set<String> raised = MessageCatalogue.raisedIn(Path.of("src/main/java/io/duban/notification"));
        assertTrue(raised.contains("delivery-not-failed") && raised.contains("field.webhookUrl"), raised.toString());
        assertEquals(Set.of(), MessageCatalogue.unexplained(raised));
    }
}
