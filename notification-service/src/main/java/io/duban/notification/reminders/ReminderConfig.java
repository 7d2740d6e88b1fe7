package io.duban.notification.reminders;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The reminder scheduler (`DUBAN_REMINDERS_TICK_EVERY`, `DUBAN_REMINDERS_BATCH_SIZE`). */
@ConfigMapping(prefix = "duban.reminders")
public interface ReminderConfig {

    /** How often the scheduler looks for due reminders (a Quarkus scheduler period). */
    @WithDefault("30s")
    String tickEvery();

    /** Reminders claimed and sent per transaction. */
    @WithDefault("500")
    int batchSize();
}
