package io.duban.report;

import io.duban.common.web.ProblemContract;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFilter;

/** The shared problem+json contract in report-service's OpenAPI document, written in at build time. */
// "implements OASFilter" again: Quarkus finds build-time filters only among classes that name it themselves.
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class OpenApiContract extends ProblemContract implements OASFilter {
}
