package io.duban.report;

import java.time.Instant;
import java.time.LocalDate;

/**
 * What a report is about: the period (items dispatched in [from, to], office dates; either end may be
 * open for lists), the as-of time, and the filters. A handler's filter always carries their unit.
 */
public record ReportFilter(LocalDate from, LocalDate to, Instant asOf, String unit, String source, String priority,
        String category, String role) {
}
