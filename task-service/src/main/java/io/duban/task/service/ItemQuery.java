package io.duban.task.service;

import io.duban.common.domain.ItemStatus;
import io.duban.common.domain.Priority;
import io.duban.common.domain.SourceType;
import io.duban.common.domain.WarningLevel;
import java.time.LocalDate;
import java.util.List;

/** Filters, sort and page of the item list. */
public record ItemQuery(List<ItemStatus> status, String unit, SourceType sourceType, Priority priority,
        LocalDate deadlineFrom, LocalDate deadlineTo, Boolean overdue, WarningLevel warning, String externalSystem,
        String externalRef, String q, String sort, Integer limit,
        String cursor) {
}
