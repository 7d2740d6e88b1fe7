package io.duban.task.service;

import io.duban.common.domain.AssignmentStatus;
import io.duban.common.paging.Cursors;
import io.duban.common.paging.Page;
import io.duban.common.problem.ProblemException;
import io.duban.common.web.Etags;
import io.duban.common.web.Texts;
import io.duban.task.api.PersonPatch;
import io.duban.task.api.PersonRequest;
import io.duban.task.api.PersonView;
import io.duban.task.api.UnitPatch;
import io.duban.task.api.UnitRequest;
import io.duban.task.api.UnitView;
import io.duban.task.domain.Assignment;
import io.duban.task.domain.Person;
import io.duban.task.domain.Unit;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/** Units (承办单位) and people. */
@ApplicationScoped
public class DirectoryService {

    /** Assignments a unit is planned for on a draft or still has open: what retiring it would strand. */
    private static final List<AssignmentStatus> UNFINISHED = Stream.concat(Stream.of(AssignmentStatus.PLANNED),
            AssignmentStatus.OPEN.stream()).toList();

    /** Page sizes of the directory's lists: a city's units fit one default page. */
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;

    private final Clock clock;

    public DirectoryService(Clock clock) {
        this.clock = clock;
    }

    @Transactional
    public UnitView createUnit(UnitRequest r) {
        if (Unit.findById(r.code()) != null) {
            throw ProblemException.conflict("unit-exists", r.code());
        }
        if (Unit.count("name", r.name()) > 0) {
            throw ProblemException.invalid("name", "field.unitNameTaken");
        }
        if (r.parentCode() != null && Unit.findById(r.parentCode()) == null) {
            throw ProblemException.invalid("parentCode", "field.unknownUnit", r.parentCode());
        }
        Unit u = new Unit();
        u.code = r.code();
        u.name = r.name().strip();
        u.shortName = r.shortName();
        u.parentCode = r.parentCode();
        u.contactEmail = r.contactEmail();
        u.phone = r.phone();
        u.createdAt = clock.instant();
        u.persist();
        return UnitView.of(u);
    }

    public Page<UnitView> units(String parentCode, Boolean active, Integer limit, String cursor) {
        int n = Cursors.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (parentCode != null) {
            where.append(" and parentCode = :parent");
            p.and("parent", parentCode);
        }
        if (active != null) {
            where.append(" and active = :active");
            p.and("active", active);
        }
        if (cursor != null && !cursor.isBlank()) {
            where.append(" and code > :after");
            p.and("after", textOf(Cursors.decode(cursor, "units", 1)[0]));
        }
        List<Unit> rows = Unit.<Unit>find(where.toString(), Sort.by("code"), p).page(0, n + 1).list();
        return Page.of(rows, n, u -> Cursors.encode("units", u.code), UnitView::of);
    }

    /** An active unit, or a 422 naming the field that referred to it. */
    public Unit activeUnit(String code, String field) {
        Unit u = Unit.findById(code);
        if (u == null || !u.active) {
            throw ProblemException.invalid(field, "field.unknownUnit", code);
        }
        return u;
    }

    @Transactional
    public PersonView createPerson(PersonRequest r) {
        if (Person.count("username", r.username()) > 0) {
            throw ProblemException.conflict("person-exists", r.username());
        }
        activeUnit(r.unitCode(), "unitCode");
        Person p = new Person();
        p.id = UUID.randomUUID();
        p.username = r.username();
        p.name = r.name().strip();
        p.unitCode = r.unitCode();
        p.role = r.role();
        p.title = r.title();
        p.email = r.email();
        p.phone = r.phone();
        p.createdAt = clock.instant();
        p.persist();
        return PersonView.of(p);
    }

    /** One unit, for GET with its version (ETag). */
    public Optional<Unit> findUnit(String code) {
        return Unit.findByIdOptional(code);
    }

    /** One person, for GET with its version (ETag). */
    public Optional<Person> findPerson(UUID id) {
        return Person.findByIdOptional(id);
    }

    /**
     * Changes a unit under If-Match (428 without, 412 when stale). A parent must exist and not be the unit
     * or one of its own descendants; a unit is retired ({@code active: false}) only once it holds no open
     * work, so that nothing in hand is left with a unit nobody can assign to (409 unit-busy).
     */
    @Transactional
    public Unit patchUnit(String code, UnitPatch p, String ifMatch) {
        Etags.requirePresent(ifMatch);
        Unit u = Unit.<Unit>findByIdOptional(code, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.notFound("unit", code));
        Etags.requireMatch(ifMatch, u.version);
        if (p.name() != null) {
            String name = p.name().strip();
            if (!name.equals(u.name) && Unit.count("name = ?1 and code <> ?2", name, code) > 0) {
                throw ProblemException.invalid("name", "field.unitNameTaken");
            }
            u.name = name;
        }
        if (p.parentCode() != null) {
            u.parentCode = parent(code, Texts.strippedOrNull(p.parentCode()));
        }
        u.shortName = edited(u.shortName, p.shortName());
        u.contactEmail = edited(u.contactEmail, p.contactEmail());
        u.phone = edited(u.phone, p.phone());
        if (p.active() != null) {
            if (!p.active() && u.active) {
                long open = Assignment.count("unitCode = ?1 and status in ?2", code, UNFINISHED);
                if (open > 0) {
                    throw ProblemException.conflict("unit-busy", code, open);
                }
            }
            u.active = p.active();
        }
        Unit.getEntityManager().flush();
        return u;
    }

    /** A unit's new parent: an existing unit that is neither the unit itself nor below it. */
    private static String parent(String code, String parent) {
        if (parent == null) {
            return null;
        }
        if (Unit.findById(parent) == null) {
            throw ProblemException.invalid("parentCode", "field.unknownUnit", parent);
        }
        // Walk up from the new parent: meeting the unit means it would become its own ancestor. The chain
        // is short (a district's departments and their sections); the bound stops a cycle already stored.
        String at = parent;
        for (int depth = 0; at != null && depth < 100; depth++) {
            if (at.equals(code)) {
                throw ProblemException.invalid("parentCode", "field.parentCycle", parent);
            }
            Unit up = Unit.findById(at);
            at = up == null ? null : up.parentCode;
        }
        return parent;
    }

    /**
     * Changes a person under If-Match (428 without, 412 when stale). A new unit must be active; {@code active:
     * false} records that the person has left.
     */
    @Transactional
    public Person patchPerson(UUID id, PersonPatch p, String ifMatch) {
        Etags.requirePresent(ifMatch);
        Person person = Person.<Person>findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.notFound("person", id));
        Etags.requireMatch(ifMatch, person.version);
        if (p.unitCode() != null && !p.unitCode().equals(person.unitCode)) {
            activeUnit(p.unitCode(), "unitCode");
            person.unitCode = p.unitCode();
        }
        person.name = p.name() == null ? person.name : p.name().strip();
        person.role = p.role() == null ? person.role : p.role();
        person.title = edited(person.title, p.title());
        person.email = edited(person.email, p.email());
        person.phone = edited(person.phone, p.phone());
        person.active = p.active() == null ? person.active : p.active();
        Person.getEntityManager().flush();
        return person;
    }

    /** An optional text field of a patch: null leaves it as it is, blank clears it. */
    private static String edited(String current, String requested) {
        return requested == null ? current : Texts.strippedOrNull(requested);
    }

    /** People by unit and username; of one unit, by username. */
    public Page<PersonView> people(String unitCode, Boolean active, Integer limit, String cursor) {
        int n = Cursors.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (unitCode != null) {
            where.append(" and unitCode = :unit");
            p.and("unit", unitCode);
        }
        if (active != null) {
            where.append(" and active = :active");
            p.and("active", active);
        }
        if (cursor != null && !cursor.isBlank()) {
            String[] after = Cursors.decode(cursor, "people", 2);
            where.append(" and (unitCode > :afterUnit or (unitCode = :afterUnit and username > :afterName))");
            p.and("afterUnit", textOf(after[0])).and("afterName", textOf(after[1]));
        }
        List<Person> rows = Person.<Person>find(where.toString(), Sort.by("unitCode").and("username"), p)
                .page(0, n + 1).list();
        return Page.of(rows, n, last -> Cursors.encode("people", last.unitCode, last.username), PersonView::of);
    }

    /** A cursor's text field as a query parameter: what our rows hold, never what the database refuses. */
    private static String textOf(String field) {
        if (field.isEmpty() || Texts.lineFlaw(field) != null) {
            throw Cursors.bad();
        }
        return field;
    }
}
