package io.duban.system.support;

import io.duban.testing.DevTokens;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Data the system tests create in task-service: units of a random code, items of three units. */
public final class TaskData {

    private TaskData() {
    }

    /** A new unit (code: the letter, then random), created by an administrator; its code. */
    public static String unit(ServiceApi task, char letter) {
        String code = letter + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36).toUpperCase();
        task.expect(201, DevTokens.admin(), "POST", "/api/v1/units",
                Map.of("code", code, "name", "测试单位" + code, "contactEmail", code.toLowerCase() + "@example.gov.cn"));
        return code;
    }

    /** The body of a new item: the first unit leads, the next two assist; due in {@code days}. */
    public static Map<String, Object> item(String title, List<String> units, int days) {
        Map<String, Object> item = new HashMap<>();
        item.put("title", title);
        item.put("sourceType", "LEADER_INSTRUCTION");
        item.put("priority", "URGENT");
        item.put("deadline", LocalDate.now().plusDays(days).toString());
        item.put("leadUnit", units.get(0));
        item.put("assistUnits", units.subList(1, 3));
        item.put("feedbackCycle", "WEEKLY");
        return item;
    }
}
