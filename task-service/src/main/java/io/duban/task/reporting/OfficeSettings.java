package io.duban.task.reporting;

import io.duban.common.time.OfficeConfig;
import io.duban.task.config.DubanConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * The office settings SQL needs, published as {@code reporting.office}: the office's time zone, which
 * turns timestamps into office dates inside the reporting views, and the yellow-warning threshold.
 * This service's configuration is their one source; every start writes them to the one-row table
 * {@code office_setting}, so the database never keeps a value the configuration has moved on from.
 */
@ApplicationScoped
public class OfficeSettings {

    private static final Logger LOG = Logger.getLogger(OfficeSettings.class);

    private final EntityManager em;
    private final Clock clock;
    private final String zone;
    private final int yellowWorkingDays;

    public OfficeSettings(EntityManager em, Clock clock, OfficeConfig office, DubanConfig config) {
        this.em = em;
        this.clock = clock;
        this.zone = postgresZone(office.zone());
        this.yellowWorkingDays = config.warning().yellowWorkingDays();
    }

    @Transactional
    void onStart(@Observes StartupEvent started) {
        publish();
    }

    /** Writes the configured settings when the table holds others; the database refuses a zone it does not know. */
    @Transactional
    public void publish() {
        int changed = em.createNativeQuery("""
                INSERT INTO office_setting (id, zone, yellow_working_days, updated_at) VALUES (true, ?1, ?2, ?3)
                ON CONFLICT (id) DO UPDATE
                   SET zone = excluded.zone, yellow_working_days = excluded.yellow_working_days,
                       updated_at = excluded.updated_at
                 WHERE (office_setting.zone, office_setting.yellow_working_days)
                       IS DISTINCT FROM (excluded.zone, excluded.yellow_working_days)
                """).setParameter(1, zone).setParameter(2, yellowWorkingDays).setParameter(3, clock.instant())
                .executeUpdate();
        if (changed > 0) {
            LOG.infof("reporting office settings now: zone %s, yellow warning within %d working days", zone,
                    yellowWorkingDays);
        }
    }

    /**
     * The zone's name in the tz database, which PostgreSQL reads as Java does. A fixed offset becomes
     * its Etc/GMT zone, whose sign is POSIX's (Etc/GMT-8 is UTC+08:00): PostgreSQL would read an
     * offset string such as "+08:00" as eight hours west.
     *
     * @throws IllegalArgumentException for an offset that is not a whole number of hours (no tz name)
     */
    static String postgresZone(ZoneId zone) {
        ZoneId z = zone.normalized();
        if (!(z instanceof ZoneOffset offset)) {
            return z.getId();
        }
        int seconds = offset.getTotalSeconds();
        if (seconds == 0) {
            return "UTC";
        }
        if (seconds % 3600 != 0) {
            throw new IllegalArgumentException("duban.office.zone " + zone + ": use a region such as Asia/Shanghai;"
                    + " an offset must be whole hours to have a tz database name");
        }
        int hours = seconds / 3600;
        return "Etc/GMT" + (hours > 0 ? "-" : "+") + Math.abs(hours);
    }
}
