package io.duban.notification.reminders;

import io.duban.common.domain.Labelled;

/** The escalation chain (督办升级), lowest first; the inbox audience each step's notice goes to. */
public enum EscalationLevel implements Labelled {
    HANDLER("承办人", "UNIT"),
    UNIT_HEAD("承办单位负责人", "UNIT_HEAD"),
    LEADER("责任领导", "LEADER"),
    OFFICE("督查室", "OFFICE");

    private final String label;
    private final String audience;

    EscalationLevel(String label, String audience) {
        this.label = label;
        this.audience = audience;
    }

    @Override
    public String label() {
        return label;
    }

    /** Who reads the step's notice in the inbox (notification.audience). */
    public String audience() {
        return audience;
    }
}
