package io.duban.task.domain;

import io.duban.common.domain.Labelled;

public enum ExtensionStatus implements Labelled {
    PENDING("待审批"),
    APPROVED("已批准"),
    REJECTED("未批准"),
    /** The assignment ended (reassigned, item cancelled or completed) before a decision. */
    WITHDRAWN("已撤回");

    private final String label;

    ExtensionStatus(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
