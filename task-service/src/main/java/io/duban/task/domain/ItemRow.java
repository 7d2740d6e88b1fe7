package io.duban.task.domain;

import io.duban.common.domain.FeedbackCycle;
import io.duban.common.domain.ItemStatus;
import io.duban.common.domain.Priority;
import io.duban.common.domain.SourceType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * An item as a list reads it: what a row shows and what its light and completion need, read by the
 * query itself ({@link #SELECT}) rather than by loading {@link SupervisionItem}s, whose every column,
 * description included, and whose place in the session a list page does not need.
 */
public record ItemRow(UUID id, String number, String title, SourceType sourceType, Priority priority,
        LocalDate deadline, FeedbackCycle feedbackCycle, ItemStatus status, String leadUnitCode,
        Boolean completedOnTime, String externalSystem, String externalRef, Instant createdAt, Instant updatedAt,
        Instant completedAt, long version) {

    /** The select clause that reads an item {@code i} into a row, in the constructor's order. */
    public static final String SELECT = "select new " + ItemRow.class.getName() + "(i.id, i.number, i.title,"
            + " i.sourceType, i.priority, i.deadline, i.feedbackCycle, i.status, i.leadUnitCode, i.completedOnTime,"
            + " i.externalSystem, i.externalRef, i.createdAt, i.updatedAt, i.completedAt, i.version)";
}
