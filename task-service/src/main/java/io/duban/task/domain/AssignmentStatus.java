package io.duban.task.domain;

import java.util.List;

public enum AssignmentStatus implements Labelled {
    /** Planned on a draft item; not yet dispatched, invisible to the unit. */
    PLANNED("待交办"),
    PENDING_ACCEPTANCE("待签收"),
    IN_PROGRESS("办理中"),
    SUBMITTED("申请办结"),
    DONE("已办结"),
    DECLINED("已退回"),
    REASSIGNED("已转办"),
    CANCELLED("已撤销");

    private final String label;

    AssignmentStatus(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }

    /** Still the unit's work: counts toward its open items. */
    public boolean isOpen() {
        return this == PENDING_ACCEPTANCE || this == IN_PROGRESS || this == SUBMITTED || this == DECLINED;
    }

    /** Assignments no longer held by their unit: moved to another unit, or withdrawn with the item. */
    public static final List<AssignmentStatus> GONE = List.of(REASSIGNED, CANCELLED);

    /** Held by the unit now (not moved away or withdrawn). */
    public boolean isLive() {
        return !GONE.contains(this);
    }
}
