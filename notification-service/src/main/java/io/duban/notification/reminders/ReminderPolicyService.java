package io.duban.notification.reminders;

import io.duban.common.security.Caller;
import io.duban.common.web.Etags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import io.duban.common.time.OfficeConfig;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Reading and changing the reminder policy; a change replans every remindable assignment in its transaction. */
@ApplicationScoped
public class ReminderPolicyService {

    private final PolicyStore store;
    private final ReminderPlanner planner;
    private final Clock clock;
    private final ZoneId zone;

    public ReminderPolicyService(PolicyStore store, ReminderPlanner planner, Clock clock, OfficeConfig office) {
        this.store = store;
        this.planner = planner;
        this.clock = clock;
        this.zone = office.zone();
    }

    /** The policy as the API shows it. */
    @Schema(name = "ReminderPolicyView")
    public record View(ReminderPolicy policy,
            @Schema(description = "0 while the defaults have never been changed") long version,
            OffsetDateTime updatedAt, String updatedBy) {

        public String etag() {
            return Etags.of(version);
        }
    }

    @Transactional
    public View current() {
        return view(store.current());
    }

    /** Replaces the policy (If-Match guards against a lost update) and replans. */
    @Transactional
    public View replace(ReminderPolicy policy, String ifMatch, Caller by) {
        ReminderPolicy valid = policy.validated();
        store.lock();
        PolicyStore.Stored current = store.current();
        Etags.requireMatch(ifMatch, current.version());
        PolicyStore.Stored stored = store.store(valid, current.version(), clock.instant(), by.username());
        planner.replanAll();
        return view(stored);
    }

    private View view(PolicyStore.Stored s) {
        return new View(s.policy(), s.version(), s.updatedAt() == null ? null : s.updatedAt().atZone(zone).toOffsetDateTime(),
                s.updatedBy());
    }
}
