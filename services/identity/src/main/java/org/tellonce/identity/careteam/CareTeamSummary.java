package org.tellonce.identity.careteam;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CareTeam.CareTeamParticipantComponent;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Resource;
import org.tellonce.identity.directory.DirectoryService;
import org.tellonce.identity.directory.OrganizationKind;
import org.tellonce.identity.directory.PractitionerKind;
import org.tellonce.identity.directory.PractitionerRoleKind;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.References;

/**
 * Who is in a person's care: the active care teams and, from the directory, each named member's PractitionerRole (how
 * to reach them: telecom), Practitioner (their name) and the member organisations. The coordinator is the participant
 * with role care-coordinator; this answers {@code Patient/{id}/$care-team-summary} as a collection Bundle.
 */
@ApplicationScoped
public class CareTeamSummary {

  @Inject CareTeamService teams;
  @Inject DirectoryService directory;
  @Inject PractitionerRoleKind roles;
  @Inject PractitionerKind practitioners;
  @Inject OrganizationKind organizations;

  public Uni<Bundle> of(String personId) {
    return teams.personExists(personId).chain(exists -> {
      if (!exists) {
        throw FhirException.notFound("Patient", personId);
      }
      return teams.forPerson(personId, CareTeam.CareTeamStatus.ACTIVE.toCode());
    }).chain(active -> {
      Set<String> roleIds = new LinkedHashSet<>();
      Set<String> codes = new LinkedHashSet<>();
      for (CareTeam team : active) {
        for (CareTeamParticipantComponent participant : team.getParticipant()) {
          String reference = participant.getMember().getReference();
          if (reference != null && reference.startsWith("PractitionerRole/")) {
            roleIds.add(reference.substring("PractitionerRole/".length()));
          }
          String code = References.organizationCode(participant.getMember());
          if (code != null) {
            codes.add(code);
          }
          code = References.organizationCode(participant.getOnBehalfOf());
          if (code != null) {
            codes.add(code);
          }
        }
      }
      return directory.load(roles, List.copyOf(roleIds)).chain(foundRoles -> {
        Set<String> practitionerIds = new LinkedHashSet<>();
        for (PractitionerRole role : foundRoles.values()) {
          practitionerIds.add(role.getPractitioner().getReference().substring("Practitioner/".length()));
          String code = References.organizationCode(role.getOrganization());
          if (code != null) {
            codes.add(code);
          }
        }
        return directory.load(practitioners, List.copyOf(practitionerIds))
            .chain(foundPractitioners -> organizationsByCode(codes).map(foundOrganizations -> bundle(active,
                foundRoles, foundPractitioners, foundOrganizations)));
      });
    });
  }

  private Uni<List<Organization>> organizationsByCode(Set<String> codes) {
    return directory.activeByIdentifiers(organizations,
        codes.stream().map(code -> References.ODS_SYSTEM + "|" + code).toList());
  }

  private static Bundle bundle(List<CareTeam> teams, Map<String, PractitionerRole> roles,
      Map<String, Practitioner> practitioners, List<Organization> organizations) {
    Bundle bundle = new Bundle().setType(BundleType.COLLECTION);
    bundle.setTimestamp(new Date());
    List<Resource> resources = new ArrayList<>(teams);
    resources.addAll(roles.values());
    resources.addAll(practitioners.values());
    resources.addAll(organizations);
    for (Resource resource : resources) {
      bundle.addEntry().setFullUrl(resource.fhirType() + "/" + resource.getIdElement().getIdPart()).setResource(resource);
    }
    return bundle;
  }
}
