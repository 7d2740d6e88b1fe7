package io.duban.common.domain;

/** Urgency (缓急程度), ordered from least to most urgent. */
public enum Priority implements Labelled {
    NORMAL("一般"),
    URGENT("急办"),
    CRITICAL("特急");

    private final String label;

    Priority(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
