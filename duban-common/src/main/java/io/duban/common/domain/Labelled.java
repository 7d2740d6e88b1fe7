package io.duban.common.domain;

/** A domain value with the Chinese label people read (列表、导出、通知). */
public interface Labelled {
    String label();
}
