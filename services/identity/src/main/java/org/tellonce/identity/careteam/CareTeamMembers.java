package org.tellonce.identity.careteam;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CareTeam.CareTeamParticipantComponent;
import org.hl7.fhir.r4.model.CareTeam.CareTeamStatus;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;

/**
 * Who is in a person's care team, read from a FHIR CareTeam: organisations by ODS or council code (as
 * {@code participant.member} or its {@code onBehalfOf}) and practitioner roles.
 */
public record CareTeamMembers(String personId, String status, Set<String> organizations, List<String> practitionerRoles) {

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
    if (organizations.isEmpty()) {
      throw FhirException.unprocessable("A care team needs at least one member organisation (Organization by identifier,"
          + " system " + References.ODS_SYSTEM + ")");
    }
    return new CareTeamMembers(personId, team.getStatus().toCode(), Set.copyOf(organizations), List.copyOf(roles));
  }
}
