package io.duban.common.domain;

/** 红黄绿灯: how close an open item or assignment is to trouble. */
public enum WarningLevel implements Labelled {
    RED("红灯"),
    YELLOW("黄灯"),
    GREEN("绿灯");

    private final String label;

    WarningLevel(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
