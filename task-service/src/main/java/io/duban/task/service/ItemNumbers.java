package io.duban.task.service;

import io.duban.task.domain.SupervisionItem;
import jakarta.enterprise.context.ApplicationScoped;

/** Human-readable item numbers, unique and sequential per year: DB-2026-0042. */
@ApplicationScoped
public class ItemNumbers {

    /** Takes the next number for the year; the row lock serialises concurrent registrations. */
    public String next(int year) {
        Number n = (Number) SupervisionItem.getEntityManager().createNativeQuery("""
                INSERT INTO item_number_counter (year, last) VALUES (?1, 1)
                ON CONFLICT (year) DO UPDATE SET last = item_number_counter.last + 1
                RETURNING last""").setParameter(1, year).getSingleResult();
        return format(year, n.intValue());
    }

    static String format(int year, int seq) {
        return String.format("DB-%d-%04d", year, seq);
    }
}
