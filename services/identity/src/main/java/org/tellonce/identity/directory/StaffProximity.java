package org.tellonce.identity.directory;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.tellonce.platform.fhir.References;

/**
 * How close a member of staff stands to people whose records they opened, for the access monitor: a namesake shares
 * the family name of the staff member's Practitioner; a colleague is a Practitioner with an active role at the same
 * organisation whose family and given names match the person (and whose date of birth, when both are known). The staff
 * member is found through their active PractitionerRole's Keycloak username. Names are compared as the index
 * normalises them; nothing but yes/no leaves this class.
 */
@ApplicationScoped
public class StaffProximity {

  /** One person: whether they share the staff member's family name, whether they are a colleague. */
  public record Person(String person, boolean namesake, boolean colleague) {}

  /**
   * The staff member's organisation by their directory role (null when they have none, or none of the people asked
   * about is known), and each person asked about that the index knows.
   */
  public record Result(String user, String organization, List<Person> persons) {}

  static final String SQL = """
      with reader as (
        select (select t.value from directory_token t where t.resource_type = 'PractitionerRole' and t.id = r.id
                  and t.param = 'practitioner' limit 1) as practitioner,
               (select t.value from directory_token t where t.resource_type = 'PractitionerRole' and t.id = r.id
                  and t.param = 'organization.identifier' limit 1) as organization
        from directory_resource r
        where r.resource_type = 'PractitionerRole' and r.active and exists (
          select 1 from directory_token t where t.resource_type = 'PractitionerRole' and t.id = r.id
            and t.param = 'identifier' and t.value = $1)
        order by r.updated_at desc limit 1),
      reader_family as (
        select t.value from reader, directory_token t
        where t.resource_type = 'Practitioner' and t.id = substr(reader.practitioner, 14) and t.param = 'family')
      select p.id,
        (select organization from reader) as organization,
        exists (select 1 from reader_family f where f.value = p.family) as namesake,
        exists (
          select 1 from reader cross join directory_token pf
          join directory_resource prac on prac.resource_type = 'Practitioner' and prac.id = pf.id and prac.active
          join directory_token pg on pg.resource_type = 'Practitioner' and pg.id = prac.id and pg.param = 'name'
            and pg.value = p.given
          join directory_token cp on cp.resource_type = 'PractitionerRole' and cp.param = 'practitioner'
            and cp.value = 'Practitioner/' || prac.id
          join directory_resource role on role.resource_type = 'PractitionerRole' and role.id = cp.id and role.active
          join directory_token co on co.resource_type = 'PractitionerRole' and co.id = role.id
            and co.param = 'organization.identifier' and co.value = reader.organization
          where pf.resource_type = 'Practitioner' and pf.param = 'family' and pf.value = p.family
            and 'Practitioner/' || prac.id <> reader.practitioner
            and (p.birth_date is null or prac.resource::jsonb ->> 'birthDate' is null
                 or prac.resource::jsonb ->> 'birthDate' = p.birth_date::text)) as colleague
      from person p where p.id = any($2)
      order by p.id""";

  @Inject Pool pool;

  public Uni<Result> of(String username, List<String> personIds) {
    return pool.preparedQuery(SQL)
        .execute(Tuple.of(DirectoryCodes.KEYCLOAK_USERNAME + "|" + username, personIds.toArray(String[]::new)))
        .map(rows -> {
          List<Person> persons = new ArrayList<>();
          String organization = null;
          for (Row row : rows) {
            organization = row.getString("organization");
            persons.add(new Person(row.getString("id"), row.getBoolean("namesake"), row.getBoolean("colleague")));
          }
          String code = organization == null ? null : organization.substring(References.ODS_SYSTEM.length() + 1);
          return new Result(username, code, persons);
        });
  }
}
