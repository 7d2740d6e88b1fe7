package io.duban.task.feed;

import io.duban.common.feed.ChangeSignals;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Destroyed;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.TransactionScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The mobile feed's change signals: each unit's feed fingerprint is kept in memory until the change
 * log says, at commit (V9: NOTIFY duban_feed with the unit code), that the unit's list changed, or
 * until a transaction of this instance ends. An unchanged poll then costs no query.
 */
@ApplicationScoped
public class FeedSignals {

    private final ChangeSignals signals;

    public FeedSignals(@ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.signals = new ChangeSignals("duban_feed", url, user, password);
    }

    void start(@Observes StartupEvent e) {
        signals.start();
    }

    void stop(@Observes ShutdownEvent e) {
        signals.close();
    }

    /** Any transaction of this instance that ended may have changed a unit's list. */
    void transactionEnded(@Observes @Destroyed(TransactionScoped.class) Object transaction) {
        signals.localChange();
    }

    public ChangeSignals signals() {
        return signals;
    }
}
