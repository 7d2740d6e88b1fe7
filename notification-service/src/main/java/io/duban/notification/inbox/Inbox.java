package io.duban.notification.inbox;

import io.duban.common.feed.FeedToken;
import io.duban.common.feed.Snapshots;
import io.duban.common.problem.ProblemException;
import io.duban.common.security.Caller;
import io.duban.common.security.Role;
import io.duban.notification.paging.ByCreation;
import io.duban.notification.tracking.NotificationCreated;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.duban.common.time.OfficeConfig;

/**
 * The in-app inbox: writes notices (firing {@link NotificationCreated} in the same transaction, for
 * the deliveries), lists a reader's notices with ETag and change tokens, marks them read, takes the
 * acknowledgement of urges.
 *
 * <p>Who reads what is decided in one place, {@link #inboxOf}: a handler reads their unit's notices
 * (audience UNIT and UNIT_HEAD), a leader those for leaders, the office those for the office, and
 * everyone those addressed to them by name. The office and leaders may open any notice
 * ({@link #mayOpen}); a handler only their unit's.
 */
@ApplicationScoped
public class Inbox {

    public static final String FEED = "notifications";
    /** Change tokens older than this answer 410. */
    static final Duration TOKEN_RETENTION = Duration.ofDays(30);
    private static final String COLUMNS = "n.id, n.kind, n.audience, n.unit_code, n.username, n.item_id, n.item_number,"
            + " n.title, n.deadline, n.subject, n.body, n.created_at, r.read_at, n.ack_required, n.acked_at, n.acked_by";

    private final DataSource db;
    private final Event<NotificationCreated> created;
    private final Clock clock;
    private final ZoneId zone;

    public Inbox(DataSource db, Event<NotificationCreated> created, Clock clock, OfficeConfig office) {
        this.db = db;
        this.created = created;
        this.clock = clock;
        this.zone = office.zone();
    }

    /** Writes the notice and fires NotificationCreated; the caller's transaction holds both. */
    @Transactional(Transactional.TxType.MANDATORY)
    @WithSpan("notice created")
    public UUID create(NoticeDraft d) {
        return createAll(List.of(d)).get(0);
    }

    /**
     * Writes the notices in one JDBC batch (one round trip) and fires NotificationCreated for each;
     * the caller's transaction holds all. Returns their ids, in order.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<UUID> createAll(List<NoticeDraft> drafts) {
        if (drafts.isEmpty()) {
            return List.of();
        }
        List<UUID> ids = new ArrayList<>(drafts.size());
        Timestamp now = Timestamp.from(clock.instant());
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO notification (id, kind, audience, unit_code, username, item_id, item_number, title, deadline,"
                        + " subject, body, created_at, reminder_id, source_event_id, ack_required)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (NoticeDraft d : drafts) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                ps.setObject(1, id);
                ps.setString(2, d.kind());
                ps.setString(3, d.audience());
                ps.setString(4, d.unitCode());
                ps.setString(5, d.username());
                ps.setObject(6, d.itemId());
                ps.setString(7, d.itemNumber());
                ps.setString(8, d.title());
                ps.setObject(9, d.deadline());
                ps.setString(10, d.subject());
                ps.setString(11, d.body());
                ps.setTimestamp(12, now);
                if (d.reminderId() == null) {
                    ps.setNull(13, Types.BIGINT);
                } else {
                    ps.setLong(13, d.reminderId());
                }
                ps.setObject(14, d.sourceEventId());
                ps.setBoolean(15, d.ackRequired());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("could not write the notices", e);
        }
        for (int i = 0; i < drafts.size(); i++) {
            NoticeDraft d = drafts.get(i);
            created.fire(new NotificationCreated(ids.get(i), d.kind(), d.unitCode(), d.username(), d.itemId(), d.subject(),
                    d.body(), d.values()));
        }
        return ids;
    }

    /** A page of the reader's inbox, newest first. */
    public record Page(List<Notice> items, String changeToken, boolean full,
            @Schema(description = "Present when more notices follow: send it back as `cursor` for the next page")
            String nextCursor) {
    }

    /** The SQL condition (on notification n) of the reader's inbox, and its parameters. */
    record Where(String sql, List<Object> args) {
    }

    /** The one rule of whose inbox a notice is in. */
    static Where inboxOf(Caller who) {
        List<String> or = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        or.add("n.username = ?");
        args.add(who.username());
        if (who.is(Role.HANDLER) && who.unitCode() != null) {
            or.add("(n.unit_code = ? AND n.audience IN ('UNIT', 'UNIT_HEAD'))");
            args.add(who.unitCode());
        }
        if (who.is(Role.LEADER)) {
            or.add("n.audience = 'LEADER'");
        }
        if (who.is(Role.SUPERVISOR)) {
            or.add("n.audience = 'OFFICE'");
        }
        return new Where("(" + String.join(" OR ", or) + ")", args);
    }

    /** Whether the caller may open (read, see) a notice: their inbox's, or any for the office and leaders. */
    static boolean mayOpen(Caller who, Notice n) {
        return who.seesAll() || who.username().equals(n.username())
                || who.is(Role.HANDLER) && n.unitCode().equals(who.unitCode())
                        && (n.audience().equals("UNIT") || n.audience().equals("UNIT_HEAD"));
    }

    /** The ETag of the reader's inbox: changes with any notice written, changed or read by them. */
    @Transactional
    public String etag(Caller who) {
        Where w = inboxOf(who);
        String sql = "SELECT count(*), coalesce(max(n.xid::text::bigint), 0), coalesce(sum(n.version), 0), count(r.read_at)"
                + " FROM notification n LEFT JOIN notification_read r ON r.notification_id = n.id AND r.username = ?"
                + " WHERE " + w.sql();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, who.username());
            bind(ps, 2, w.args());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return "\"" + rs.getLong(1) + "." + rs.getLong(2) + "." + rs.getLong(3) + "." + rs.getLong(4) + "\"";
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The reader's notices, newest first, a page of at most {@code limit}; with a change token only those
     * written, changed or read since it was issued. A longer list comes in pages: {@code cursor} (a
     * page's {@code nextCursor}) continues the read it began, with that read's token and delta start.
     * The first page's change token is the one to keep: its horizon was taken before any page was read,
     * so a change made while the reader paged comes again in the next delta, and none is skipped.
     */
    @Transactional
    public Page list(Caller who, String changedSince, String cursor, int limit) {
        Instant now = clock.instant();
        Instant oldest = now.minus(TOKEN_RETENTION);
        ByCreation after = cursor == null || cursor.isBlank() ? null : ByCreation.parse(cursor, "inbox");
        Read continued = after == null ? null : Read.decode(after.read(), oldest);
        Long since = after != null || changedSince == null || changedSince.isBlank() ? null
                : FeedToken.decode(changedSince, FEED, oldest).xmin();
        Where w = inboxOf(who);
        try (Connection c = db.getConnection()) {
            Read read = continued != null ? continued
                    : new Read(new FeedToken(FEED, Snapshots.horizon(c), "1", now).encode(), since);
            Long sinceXmin = read.sinceXmin();
            String sql = "SELECT " + COLUMNS + " FROM notification n"
                    + " LEFT JOIN notification_read r ON r.notification_id = n.id AND r.username = ?"
                    + " WHERE " + w.sql()
                    + (sinceXmin == null ? "" : " AND (n.xid >= CAST(CAST(? AS text) AS xid8) OR r.xid >= CAST(CAST(? AS text) AS xid8))")
                    + (after == null ? "" : " AND (n.created_at, n.id) < (?, ?)")
                    + " ORDER BY n.created_at DESC, n.id DESC LIMIT ?";
            List<Notice> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, who.username());
                int i = bind(ps, 2, w.args());
                if (sinceXmin != null) {
                    ps.setString(i++, Long.toString(sinceXmin));
                    ps.setString(i++, Long.toString(sinceXmin));
                }
                if (after != null) {
                    ps.setTimestamp(i++, Timestamp.from(after.createdAt()));
                    ps.setObject(i++, after.id());
                }
                ps.setInt(i, limit + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(notice(rs));
                    }
                }
            }
            String next = null;
            if (items.size() > limit) {
                items = items.subList(0, limit);
                Notice last = items.get(limit - 1);
                next = new ByCreation(last.createdAt().toInstant(), last.id(), read.encode()).encode("inbox");
            }
            return new Page(items, read.token(), sinceXmin == null, next);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What a read of the inbox carries from page to page in its cursor: its first page's change token
     * and the delta's start (null for a full read), as "token~xmin".
     */
    private record Read(String token, Long sinceXmin) {

        String encode() {
            return token + "~" + (sinceXmin == null ? "" : sinceXmin);
        }

        /** The read a cursor continues, or 400; one that began before the retention answers 410. */
        static Read decode(String text, Instant oldest) {
            String[] p = text.split("~", -1);
            if (p.length != 2) {
                throw new ProblemException(400, "bad-cursor");
            }
            FeedToken.decode(p[0], FEED, oldest);
            try {
                return new Read(p[0], Snapshots.deltaStart(p[1]));
            } catch (IllegalArgumentException e) {
                throw new ProblemException(400, "bad-cursor");
            }
        }
    }

    /** The notice as the caller sees it, or 404 when there is none they may open. */
    @Transactional
    public Notice get(Caller who, UUID id) {
        return find(who, id).filter(n -> mayOpen(who, n)).orElseThrow(() -> ProblemException.notFound("notice", id));
    }

    /** Marks the notice read by the caller (again: no change). */
    @Transactional
    public Notice markRead(Caller who, UUID id) {
        get(who, id);
        update("INSERT INTO notification_read (notification_id, username, read_at) VALUES (?, ?, ?)"
                + " ON CONFLICT DO NOTHING", id, who.username(), Timestamp.from(clock.instant()));
        return get(who, id);
    }

    /** The unit acknowledges an urge (催办签收); 409 for any other notice; again: no change. */
    @Transactional
    public Notice acknowledge(Caller who, UUID id) {
        Notice n = find(who, id).filter(x -> who.is(Role.HANDLER) && x.unitCode().equals(who.unitCode())
                && x.audience().equals("UNIT")).orElseThrow(() -> ProblemException.notFound("notice", id));
        if (!n.ackRequired()) {
            throw ProblemException.conflict("notice-not-urge", id.toString());
        }
        update("UPDATE notification SET acked_at = ?, acked_by = ? WHERE id = ? AND acked_at IS NULL",
                Timestamp.from(clock.instant()), who.username(), id);
        return get(who, id);
    }

    /** Unacknowledged urges, oldest first, with how long each has waited (computed by the caller's rule). */
    @Transactional
    public io.duban.common.paging.Page<Notice> unacknowledgedUrges(int limit, String cursor) {
        ByCreation after = cursor == null || cursor.isBlank() ? null : ByCreation.parse(cursor, "waiting-urges");
        String sql = "SELECT " + COLUMNS + " FROM notification n"
                + " LEFT JOIN notification_read r ON false"
                + " WHERE n.kind = 'URGE' AND n.acked_at IS NULL"
                + (after == null ? "" : " AND (n.created_at, n.id) > (?, ?)")
                + " ORDER BY n.created_at, n.id LIMIT ?";
        List<Notice> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (after != null) {
                ps.setTimestamp(i++, Timestamp.from(after.createdAt()));
                ps.setObject(i++, after.id());
            }
            ps.setInt(i, limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(notice(rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return io.duban.common.paging.Page.of(out, limit,
                last -> new ByCreation(last.createdAt().toInstant(), last.id(), "").encode("waiting-urges"), u -> u);
    }

    private Optional<Notice> find(Caller who, UUID id) {
        String sql = "SELECT " + COLUMNS + " FROM notification n"
                + " LEFT JOIN notification_read r ON r.notification_id = n.id AND r.username = ? WHERE n.id = ?";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, who.username());
            ps.setObject(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(notice(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void update(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, 1, List.of(args));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int bind(PreparedStatement ps, int from, List<Object> args) throws SQLException {
        int i = from;
        for (Object a : args) {
            ps.setObject(i++, a);
        }
        return i;
    }

    private Notice notice(ResultSet rs) throws SQLException {
        return new Notice(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getObject(6, UUID.class), rs.getString(7), rs.getString(8), rs.getObject(9, LocalDate.class),
                rs.getString(10), rs.getString(11), at(rs.getTimestamp(12)), rs.getTimestamp(13) != null,
                rs.getBoolean(14), at(rs.getTimestamp(15)), rs.getString(16));
    }

    private OffsetDateTime at(Timestamp t) {
        return t == null ? null : t.toInstant().atZone(zone).toOffsetDateTime();
    }
}
