package io.duban.notification.delivery;

import io.duban.notification.tracking.NotificationCreated;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The text of a notice's e-mail and SMS copies, from Qute templates per kind, Chinese:
 * {@code templates/delivery/email/<KIND>-subject.txt}, {@code <KIND>-body.txt} and
 * {@code templates/delivery/sms/<KIND>.txt}; a kind without its own uses {@code default}.
 */
@ApplicationScoped
public class NoticeTemplates {

    private final Engine engine;
    private final DeliveryConfig config;

    public NoticeTemplates(Engine engine, DeliveryConfig config) {
        this.engine = engine;
        this.config = config;
    }

    public record Email(String subject, String body) {
    }

    public Email email(NotificationCreated n) {
        Map<String, Object> model = model(n);
        return new Email(render("email", n.kind(), "-subject", model).strip(), render("email", n.kind(), "-body", model));
    }

    public String sms(NotificationCreated n) {
        return render("sms", n.kind(), "", model(n)).strip();
    }

    private String render(String channel, String kind, String part, Map<String, Object> model) {
        Template t = kind.matches("[A-Z][A-Z0-9_]{0,63}") ? engine.getTemplate("delivery/" + channel + "/" + kind + part) : null;
        if (t == null) {
            t = engine.getTemplate("delivery/" + channel + "/default" + part);
        }
        var instance = t.instance();
        model.forEach(instance::data);
        return instance.render();
    }

    /** What the templates fill in; every key is present (empty when the notice does not say). */
    Map<String, Object> model(NotificationCreated n) {
        Map<String, String> v = n.values();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subject", n.subject());
        m.put("body", n.body());
        m.put("itemNumber", v.getOrDefault("itemNumber", ""));
        m.put("title", v.getOrDefault("title", ""));
        m.put("deadline", chineseDate(v.get("deadline")));
        m.put("timeLeft", timeLeft(v));
        m.put("link", n.itemId() == null ? "" : stripSlash(config.linkBaseUrl()) + "/api/v1/tasks/" + n.itemId());
        m.put("unitCode", n.unitCode() == null ? "" : n.unitCode());
        return m;
    }

    /** "距办理期限还有 3 个工作日", "今天是办理期限" or "已逾期 2 个工作日", from workingDaysLeft (negative when overdue) or overdueWorkingDays. */
    static String timeLeft(Map<String, String> v) {
        Integer left = integer(v.get("workingDaysLeft"));
        Integer overdue = integer(v.get("overdueWorkingDays"));
        if (overdue != null && overdue > 0) {
            return "已逾期 " + overdue + " 个工作日";
        }
        if (left == null) {
            return "";
        }
        if (left > 0) {
            return "距办理期限还有 " + left + " 个工作日";
        }
        return left == 0 ? "今天是办理期限" : "已逾期 " + (-left) + " 个工作日";
    }

    static String chineseDate(String iso) {
        if (iso == null || iso.isBlank()) {
            return "";
        }
        try {
            LocalDate d = LocalDate.parse(iso);
            return d.getYear() + "年" + d.getMonthValue() + "月" + d.getDayOfMonth() + "日";
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    private static Integer integer(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
