package io.duban.task.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.ZoneId;

@ConfigMapping(prefix = "duban")
public interface DubanConfig {

    Office office();

    Paging paging();

    interface Office {
        /** The office's time zone: deadlines are dates there, timestamps are rendered there. */
        @WithDefault("Asia/Shanghai")
        ZoneId zone();
    }

    interface Paging {
        @WithDefault("20")
        int defaultLimit();

        @WithDefault("100")
        int maxLimit();
    }
}
