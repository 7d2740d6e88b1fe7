package io.duban.common.warning;

import io.duban.common.domain.WarningLevel;

/** A warning level with its reason in words (Chinese: people read it). */
public record Warning(WarningLevel level, String levelLabel, String reason) {

    public static Warning of(WarningLevel level, String reason) {
        return new Warning(level, level.label(), reason);
    }

    /** The more serious of two warnings; equal levels keep both reasons. */
    public Warning worst(Warning other) {
        if (other == null) {
            return this;
        }
        if (other.level.ordinal() < level.ordinal()) {
            return other;
        }
        if (other.level == level && other.level != WarningLevel.GREEN) {
            return of(level, reason + "；" + other.reason);
        }
        return this;
    }
}
