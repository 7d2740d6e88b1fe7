package io.duban.common.observe;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.function.Supplier;

/**
 * Runs a step once the current transaction has committed, or now when there is none: a business
 * counter moves for what happened, not for what was tried and rolled back. Also keeps a value for the
 * rest of the current transaction ({@link #oncePerTransaction}).
 */
@ApplicationScoped
public class AfterCommit {

    private final TransactionSynchronizationRegistry transactions;

    public AfterCommit(TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
    }

    /**
     * As {@link #run}, but once per transaction for a key: a step that several writes of one
     * transaction ask for (the relay's wake-up after each outbox row) runs once at its commit.
     */
    public void runOnce(Object key, Runnable step) {
        oncePerTransaction(key, () -> {
            run(step);
            return Boolean.TRUE;
        });
    }

    /**
     * The value the current transaction holds for a key, made by {@code make} on the first call; with
     * no transaction, made anew on every call.
     */
    @SuppressWarnings("unchecked")
    public <T> T oncePerTransaction(Object key, Supplier<T> make) {
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            return make.get();
        }
        T kept = (T) transactions.getResource(key);
        if (kept == null) {
            kept = make.get();
            transactions.putResource(key, kept);
        }
        return kept;
    }

    public void run(Runnable step) {
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            step.run();
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    step.run();
                }
            }
        });
    }
}
