package io.duban.notification.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the SMS gateway receives, and the time-left line of every notice, as plain functions. */
class SmsGatewayTemplateTest {

    @Test
    void theTextIsEscapedForTheBodysContentTypeAndFilledOnce() {
        String text = "【督查督办】\"催办\"\n{to}";
        assertEquals("{\"to\":\"13800000001\",\"text\":\"【督查督办】\\\"催办\\\"\\n{to}\"}",
                SmsGateway.fill("{\"to\":\"{to}\",\"text\":\"{text}\"}", "13800000001", text, SmsGateway.escaperFor("application/json")));
        assertEquals("mobile=%2B86+138&msg=%E5%82%AC%E5%8A%9E%26x",
                SmsGateway.fill("mobile={to}&msg={text}", "+86 138", "催办&x", SmsGateway.escaperFor("application/x-www-form-urlencoded")));
        assertEquals("to 138: 催办", SmsGateway.fill("to {to}: {text}", "138", "催办", SmsGateway.escaperFor("text/plain")));
    }

    @Test
    void workingDaysLeftReadAsChinese() {
        assertEquals("距办理期限还有 3 个工作日", NoticeTemplates.timeLeft(Map.of("workingDaysLeft", "3")));
        assertEquals("今天是办理期限", NoticeTemplates.timeLeft(Map.of("workingDaysLeft", "0")));
        assertEquals("已逾期 2 个工作日", NoticeTemplates.timeLeft(Map.of("workingDaysLeft", "-2")));
        assertEquals("已逾期 5 个工作日", NoticeTemplates.timeLeft(Map.of("overdueWorkingDays", "5")));
        assertEquals("", NoticeTemplates.timeLeft(Map.of("workingDaysLeft", "soon")));
        assertEquals("2026年10月9日", NoticeTemplates.chineseDate("2026-10-09"));
    }
}
