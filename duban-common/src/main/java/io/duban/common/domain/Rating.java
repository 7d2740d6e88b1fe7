package io.duban.common.domain;

/** The office's rating of a completed item (办结评价). */
public enum Rating implements Labelled {
    EXCELLENT("优秀"),
    GOOD("良好"),
    FAIR("一般"),
    POOR("差");

    private final String label;

    Rating(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
