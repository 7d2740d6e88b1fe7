package io.duban.notification.reminders;

import io.duban.common.events.EventData;
import io.duban.notification.calendar.WorkingDays;
import io.duban.notification.inbox.NoticeDraft;
import io.duban.notification.tracking.TrackedAssignment;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What a notice says, in Chinese: the item's number and title, the deadline and the working days
 * left or overdue, counted at the moment it is written. The {@code values} are what the delivery
 * templates (email, SMS) may fill in.
 */
final class NoticeTexts {

    private NoticeTexts() {
    }

    static String date(LocalDate d) {
        return d.getYear() + "年" + d.getMonthValue() + "月" + d.getDayOfMonth() + "日";
    }

    static NoticeDraft reminder(long reminderId, Rule rule, int step, TrackedAssignment a, LocalDate today,
            WorkingDays days, ZoneId zone) {
        String no = a.itemNumber();
        String item = "《" + a.title() + "》（" + no + "）";
        String deadline = date(a.deadline());
        int left = days.between(today, a.deadline());
        Map<String, String> values = values(a);
        String audience = "UNIT";
        String subject;
        String body;
        switch (rule) {
            case BEFORE_DEADLINE -> {
                values.put("workingDaysLeft", Integer.toString(left));
                subject = "【到期提醒】" + no + " 距办理期限还有" + left + "个工作日";
                body = a.unitCode() + "：督办事项" + item + "的办理期限为" + deadline + "，距期限还有" + left
                        + "个工作日，请抓紧办理，按期办结。";
            }
            case DEADLINE_DAY -> {
                values.put("workingDaysLeft", "0");
                subject = "【到期提醒】" + no + " 今日到期";
                body = a.unitCode() + "：督办事项" + item + "的办理期限为今天（" + deadline
                        + "），请于今日办结；确需延期的，请及时提出延期申请。";
            }
            case OVERDUE -> {
                values.put("overdueWorkingDays", Integer.toString(-left));
                subject = "【超期提醒】" + no + " 已超期" + -left + "个工作日";
                body = a.unitCode() + "：督办事项" + item + "的办理期限为" + deadline + "，已超期" + -left
                        + "个工作日，请尽快办理并报送进展。";
            }
            case NOT_ACCEPTED -> {
                values.put("workingDaysLeft", Integer.toString(left));
                subject = "【签收提醒】" + no + " 尚未签收";
                body = a.unitCode() + "：督办事项" + item + "于" + date(ReminderPlan.date(a.dispatchedAt(), zone))
                        + "交办贵单位，" + step + "个工作日内尚未签收，请及时签收。办理期限为" + deadline
                        + (left >= 0 ? "，距期限还有" + left + "个工作日。" : "，已超期" + -left + "个工作日。");
            }
            case PROGRESS_LATE -> {
                values.put("workingDaysLeft", Integer.toString(left));
                subject = "【反馈提醒】" + no + " 进展反馈已逾期";
                body = a.unitCode() + "：督办事项" + item + "要求" + a.feedbackCycle().label()
                        + "报送进展，本期反馈已逾期，请及时报送。办理期限为" + deadline + "。";
            }
            case ESCALATION -> {
                EscalationLevel level = EscalationLevel.values()[step - 1];
                audience = level.audience();
                values.put("overdueWorkingDays", Integer.toString(-left));
                values.put("escalationLevel", level.name());
                subject = "【督办升级】" + no + " 已超期" + -left + "个工作日，提请" + level.label() + "督办";
                body = "承办单位" + a.unitCode() + "办理的督办事项" + item + "办理期限为" + deadline + "，已超期" + -left
                        + "个工作日，按督办规则升级至" + level.label() + "，请督促办理。";
            }
            default -> throw new IllegalArgumentException(rule.name());
        }
        return new NoticeDraft(rule.kind(), audience, a.unitCode(), null, a.itemId(), no, a.title(), a.deadline(),
                subject, body, reminderId, null, false, values);
    }

    static NoticeDraft urge(UUID eventId, EventData.ItemUrged urge, TrackedAssignment a, LocalDate today,
            WorkingDays days) {
        String no = a.itemNumber();
        int left = days.between(today, a.deadline());
        Map<String, String> values = values(a);
        values.put("message", urge.message());
        values.put("urgeCount", String.valueOf(urge.urgeCount()));
        values.put(left >= 0 ? "workingDaysLeft" : "overdueWorkingDays", Integer.toString(Math.abs(left)));
        String subject = "【催办】" + no + "（第" + urge.urgeCount() + "次催办）";
        String body = a.unitCode() + "：督查室对督办事项《" + a.title() + "》（" + no + "）催办：" + urge.message()
                + "。办理期限为" + date(a.deadline())
                + (left >= 0 ? "，距期限还有" + left + "个工作日" : "，已超期" + -left + "个工作日")
                + "。请确认收到并加快办理。";
        return new NoticeDraft("URGE", "UNIT", a.unitCode(), null, a.itemId(), no, a.title(), a.deadline(), subject, body,
                null, eventId, true, values);
    }

    private static Map<String, String> values(TrackedAssignment a) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("itemNumber", a.itemNumber());
        v.put("title", a.title());
        v.put("deadline", a.deadline().toString());
        v.put("unitCode", a.unitCode());
        return v;
    }
}
