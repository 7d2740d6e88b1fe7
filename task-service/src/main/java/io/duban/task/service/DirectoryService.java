package io.duban.task.service;

import io.duban.common.problem.ProblemException;
import io.duban.task.api.PersonRequest;
import io.duban.task.api.PersonView;
import io.duban.task.api.UnitRequest;
import io.duban.task.api.UnitView;
import io.duban.task.domain.Person;
import io.duban.task.domain.Unit;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Units (承办单位) and people. */
@ApplicationScoped
public class DirectoryService {

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

    public List<UnitView> units(String parentCode) {
        List<Unit> units = parentCode == null ? Unit.listAll(Sort.by("code"))
                : Unit.list("parentCode", Sort.by("code"), parentCode);
        return units.stream().map(UnitView::of).toList();
    }

    public Optional<UnitView> unit(String code) {
        return Unit.<Unit>findByIdOptional(code).map(UnitView::of);
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

    public List<PersonView> people(String unitCode) {
        List<Person> people = unitCode == null ? Person.listAll(Sort.by("unitCode").and("username"))
                : Person.list("unitCode", Sort.by("username"), unitCode);
        return people.stream().map(PersonView::of).toList();
    }
}
