package io.duban.common.domain;

import java.util.List;

/** An item's place in its lifecycle (SPEC.md): DRAFT → ACTIVE → PENDING_REVIEW → COMPLETED, or CANCELLED. */
public enum ItemStatus implements Labelled {
    DRAFT("草稿"),
    ACTIVE("办理中"),
    PENDING_REVIEW("待审核"),
    COMPLETED("已办结"),
    CANCELLED("已撤销");

    private final String label;

    ItemStatus(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }

    /**
     * Dispatched and not yet finished (在办): the units are working on it or the office is reviewing
     * it. Exactly these items have a warning light (红黄绿灯), can be overdue, and have their
     * working-day deadline recomputed when the calendar changes.
     */
    public static final List<ItemStatus> IN_HANDLING = List.of(ACTIVE, PENDING_REVIEW);

    public boolean isInHandling() {
        return IN_HANDLING.contains(this);
    }
}
