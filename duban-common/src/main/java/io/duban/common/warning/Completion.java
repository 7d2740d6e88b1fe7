package io.duban.common.warning;

/**
 * How a completed item finished against its effective deadline: `workingDaysLate` is positive when
 * late, `workingDaysEarly` positive when early; both are 0 for completion on the deadline day.
 */
public record Completion(boolean onTime, int workingDaysEarly, int workingDaysLate, String reason) {
}
