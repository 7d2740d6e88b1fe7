package io.duban.common.domain;

/** A unit's part in an item: 主办 leads it, 协办 assists. */
public enum AssignmentRole implements Labelled {
    LEAD("主办"),
    ASSIST("协办");

    private final String label;

    AssignmentRole(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
