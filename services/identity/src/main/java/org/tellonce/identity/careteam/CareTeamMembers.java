package org.tellonce.identity.careteam;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CareTeam.CareTeamParticipantComponent;
import org.hl7.fhir.r4.model.CareTeam.CareTeamStatus;
import org.tellonce.identity.directory.DirectoryCodes;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;

/**
 * Who is in a person's care team, read from a FHIR CareTeam: organisations by ODS or council code (as
 * {@code participant.member} or its {@code onBehalfOf}), practitioner roles, and the care coordinator's role (if any).
 */
public record CareTeamMembers(String personId, String status, Set<String> organizations, List<String> practitionerRoles,
    String coordinator) {

  /** Whether the participant is the care coordinator (role {@code care-role|care-coordinator}). */
  public static boolean isCoordinator(CareTeamParticipantComponent participant) {
    return participant.getRole().stream().flatMap(r -> r.getCoding().stream())
        .anyMatch(c -> DirectoryCodes.CARE_ROLE.equals(c.getSystem()) && "care-coordinator".equals(c.getCode()));
  }

  public static CareTeamMembers of(CareTeam team) {
    String personId = References.patientId(team.getSubject(), "CareTeam.subject");
    if (!team.hasStatus()) {
      team.setStatus(CareTeamStatus.ACTIVE);
    }
    Set<String> organizations = new LinkedHashSet<>();
    Set<String> roles = new LinkedHashSet<>();
    for (CareTeamParticipantComponent participant : team.getParticipant()) {
      if (!participant.hasMember()) {
        throw FhirException.unprocessable("Every CareTeam.participant needs a member");
      }
      String organization = References.organizationCode(participant.getMember());
      if (organization != null) {
        organizations.add(organization);
      } else if (participant.getMember().getReference() != null
          && participant.getMember().getReference().startsWith("PractitionerRole/")) {
        roles.add(participant.getMember().getReference());
      } else {
        throw FhirException.unprocessable("CareTeam.participant.member must be an Organization by identifier (system "
            + References.ODS_SYSTEM + ") or a PractitionerRole reference");
      }
      String onBehalfOf = References.organizationCode(participant.getOnBehalfOf());
      if (onBehalfOf != null) {
        organizations.add(onBehalfOf);
      }
    }
    long coordinators = team.getParticipant().stream().filter(CareTeamMembers::isCoordinator).count();
    for (CareTeamParticipantComponent participant : team.getParticipant()) {
      if (isCoordinator(participant) && (participant.getMember().getReference() == null
          || !participant.getMember().getReference().startsWith("PractitionerRole/"))) {
        throw FhirException.unprocessable("The care coordinator must be a named person: a PractitionerRole member");
      }
      if (participant.hasPeriod() && participant.getPeriod().hasStart() && participant.getPeriod().hasEnd()
          && participant.getPeriod().getEnd().before(participant.getPeriod().getStart())) {
        throw FhirException.unprocessable("CareTeam.participant.period ends before it starts");
      }
    }
    if (coordinators > 1) {
      throw FhirException.unprocessable("A care team has exactly one care coordinator (the named lead); "
          + coordinators + " participants have role " + DirectoryCodes.CARE_ROLE + "|care-coordinator");
    }
    if (coordinators == 0 && !roles.isEmpty() && team.getStatus() == CareTeamStatus.ACTIVE) {
      throw FhirException.unprocessable("An active care team with named members needs exactly one care coordinator:"
          + " give one participant the role " + DirectoryCodes.CARE_ROLE + "|care-coordinator");
    }
    if (organizations.isEmpty()) {
      throw FhirException.unprocessable("A care team needs at least one member organisation (Organization by identifier,"
          + " system " + References.ODS_SYSTEM + ")");
    }
    String coordinator = team.getParticipant().stream().filter(CareTeamMembers::isCoordinator)
        .map(p -> p.getMember().getReference()).findFirst().orElse(null);
    return new CareTeamMembers(personId, team.getStatus().toCode(), Set.copyOf(organizations), List.copyOf(roles),
        coordinator);
  }
}
