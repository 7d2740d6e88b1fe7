package io.duban.common.domain;

/** How often the units must report progress (反馈周期). */
public enum FeedbackCycle implements Labelled {
    NONE("无需定期反馈"),
    WEEKLY("每周"),
    BIWEEKLY("每两周"),
    MONTHLY("每月");

    private final String label;

    FeedbackCycle(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
