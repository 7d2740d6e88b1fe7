package io.duban.common.time;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.ZoneId;

/** The office every service works for: `DUBAN_OFFICE_ZONE`. */
@ConfigMapping(prefix = "duban.office")
public interface OfficeConfig {

    /** The office's time zone: deadlines are dates there, timestamps are rendered there. */
    @WithDefault("Asia/Shanghai")
    ZoneId zone();
}
