package io.duban.task.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** task-service settings; the office (`duban.office.*`) is the shared {@link io.duban.common.time.OfficeConfig}. */
@ConfigMapping(prefix = "duban")
public interface DubanConfig {

    Paging paging();

    Warning warning();

    Feed feed();

    Metrics metrics();

    interface Metrics {
        /**
         * The gauges that need a query (open items by light, the outbox backlog) are computed at most
         * once per this period, however often /q/metrics is scraped.
         */
        @WithDefault("PT15S")
        Duration refreshAfter();
    }

    interface Warning {
        /** An open item due within this many working days is YELLOW (黄灯). */
        @WithDefault("3")
        int yellowWorkingDays();
    }

    interface Feed {
        /** Change tokens older than this answer 410 (fetch in full); the change log keeps a day more. */
        @WithDefault("30")
        int retentionDays();

        /**
         * Compressed first pages of units' feeds kept to be shared by the unit's phones (FeedPages), in
         * MiB; 0 builds every page for its poll.
         */
        @WithDefault("16")
        int pageCacheMb();

        /** How long a kept first page is shared at most (its change token is as old as the page). */
        @WithDefault("PT5M")
        Duration pageCacheTtl();
    }

    interface Paging {
        @WithDefault("20")
        int defaultLimit();

        @WithDefault("100")
        int maxLimit();

        /**
         * How many rows, in sort order, a title search first walks for its page among those the other
         * filters let through, before it asks the bigram index for the matches beyond (ItemSearch).
         */
        @WithDefault("2000")
        int searchWalk();
    }
}
