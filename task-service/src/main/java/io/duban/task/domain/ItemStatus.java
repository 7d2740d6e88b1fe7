package io.duban.task.domain;

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

    public boolean isOpen() {
        return this == DRAFT || this == ACTIVE || this == PENDING_REVIEW;
    }
}
