package org.tellonce.identity.patient;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.tellonce.identity.matching.MatchGrade;
import org.tellonce.identity.matching.PersonMatcher;
import org.tellonce.identity.merge.MergeService;
import org.tellonce.platform.fhir.Fhir;
import org.tellonce.platform.fhir.FhirException;
import org.tellonce.platform.fhir.OperationParameters;
import org.tellonce.platform.fhir.OperationOutcomes;
import org.tellonce.platform.security.Actor;
import org.tellonce.platform.security.CurrentActor;

/** The person index operations ($match, the PIXm cross-reference query, $merge, $unmerge), served by PatientResource. */
@ApplicationScoped
public class PatientOperations {

  static final int DEFAULT_MATCHES = 10;
  static final int MAX_MATCHES = 50;

  @Inject PersonMatcher matcher;
  @Inject PersonIndex index;
  @Inject PatientRules rules;
  @Inject MergeService merges;
  @Inject CurrentActor actor;

  /**
   * FHIR Patient/$match: candidates with a score and the match-grade extension, best first. A known identifier of the
   * query is a certain match and answers alone; otherwise probabilistic matching. A restricted person is returned only
   * to the organisation that recorded them (this is a demographic search), or when found by identifier.
   */
  public Uni<Bundle> match(Parameters parameters) {
    Patient query = resource(parameters);
    boolean onlyCertain = flag(parameters, "onlyCertainMatches");
    int count = count(parameters);
    for (Identifier identifier : query.getIdentifier()) {
      rules.checkIdentifier(identifier, "Patient.identifier");
    }
    Demographics demographics = Demographics.of(query);
    Actor caller = actor.get();
    return index.owners(PatientService.identifiers(query))
        .chain(owners -> owners.isEmpty() ? Uni.createFrom().nullItem()
            : index.current(owners.values().iterator().next()))
        .chain(known -> {
          if (known != null) {
            return index.load(known).map(row -> bundle(List.of(new Match(row, 1.0, MatchGrade.CERTAIN)), caller));
          }
          return matcher.match(demographics).chain(candidates -> {
            List<PersonMatcher.Candidate> chosen = candidates.stream()
                .filter(c -> Disclosure.fullView(c.demographics().restricted(), c.recordedBy(), caller))
                .filter(c -> !onlyCertain || c.grade() == MatchGrade.CERTAIN)
                .limit(count)
                .toList();
            return index.load(chosen.stream().map(PersonMatcher.Candidate::personId).toList()).map(rows -> bundle(
                chosen.stream().map(c -> new Match(rows.get(c.personId()), c.result().score(), c.grade())).toList(),
                caller));
          });
        });
  }

  private record Match(PersonIndex.Stored stored, double score, MatchGrade grade) {}

  private static Bundle bundle(List<Match> matches, Actor caller) {
    Bundle bundle = new Bundle().setType(BundleType.SEARCHSET).setTotal(matches.size());
    bundle.setTimestamp(new java.util.Date());
    for (Match match : matches) {
      Patient patient = Disclosure.forActor(Fhir.parse(Patient.class, match.stored().resource()),
          match.stored().restricted(), match.stored().recordedBy(), caller);
      Bundle.BundleEntrySearchComponent search = bundle.addEntry()
          .setFullUrl("Patient/" + patient.getIdElement().getIdPart())
          .setResource(patient)
          .getSearch().setMode(SearchEntryMode.MATCH).setScoreElement(new DecimalType(match.score()));
      search.addExtension(MatchGrade.EXTENSION, new CodeType(match.grade().code()));
    }
    return bundle;
  }

  /**
   * IHE PIXm (ITI-83): every identifier of the person one identifier names, across merged records, optionally only
   * of the target systems. Unknown source system → 400; unknown identifier → 404; unknown target system → 403.
   */
  public Uni<Parameters> crossReference(String source, List<String> targetSystems) {
    if (source == null || source.indexOf('|') <= 0 || source.indexOf('|') == source.length() - 1) {
      throw FhirException.badRequest("sourceIdentifier must be given as system|value");
    }
    String system = source.substring(0, source.indexOf('|'));
    String value = source.substring(source.indexOf('|') + 1);
    if (!rules.knows(system)) {
      throw FhirException.badRequest("sourceIdentifier: the system is not known to this index; known systems: "
          + rules.systems());
    }
    for (String target : targetSystems) {
      if (!rules.knows(target)) {
        throw new FhirException(403, IssueType.NOTSUPPORTED, "targetSystem '" + target + "' is not known to this"
            + " index; known systems: " + rules.systems());
      }
    }
    Set<String> targets = Set.copyOf(targetSystems);
    PersonIndex.SystemValue sourceIdentifier = new PersonIndex.SystemValue(system, value);
    return index.owners(List.of(sourceIdentifier))
        .chain(owners -> {
          if (owners.isEmpty()) {
            throw new FhirException(404, IssueType.NOTFOUND, "sourceIdentifier is not known to this index");
          }
          return index.current(owners.values().iterator().next());
        })
        .chain(current -> index.mergedSet(current).chain(index::identifiersOf).map(identifiers -> {
          Parameters result = new Parameters();
          identifiers.stream()
              .filter(i -> !i.equals(sourceIdentifier))
              .filter(i -> targets.isEmpty() || targets.contains(i.system()))
              .forEach(i -> result.addParameter().setName("targetIdentifier")
                  .setValue(new Identifier().setSystem(i.system()).setValue(i.value())));
          result.addParameter().setName("targetId").setValue(new Reference("Patient/" + current));
          return result;
        }));
  }

  /** Merges source-patient into target-patient with a reason; answers the outcome and the target as it is now. */
  public Uni<Parameters> merge(Parameters parameters) {
    String source = patientReference(parameters, "source-patient");
    String target = patientReference(parameters, "target-patient");
    String reason = OperationParameters.string(parameters, "reason");
    return merges.merge(source, target, reason, actor.get()).map(merged -> {
      Parameters result = new Parameters();
      result.addParameter().setName("outcome").setResource(OperationOutcomes.of(IssueSeverity.INFORMATION,
          IssueType.INFORMATIONAL, "Patient/" + source + " was merged into Patient/" + target + " (merge "
              + merged.mergeId() + ")"));
      result.addParameter().setName("result").setResource(merged.target());
      return result;
    });
  }

  /** Undoes the merge of source-patient, with a reason. */
  public Uni<Parameters> unmerge(Parameters parameters) {
    String source = patientReference(parameters, "source-patient");
    String reason = OperationParameters.string(parameters, "reason");
    return merges.unmerge(source, reason, actor.get()).map(restored -> {
      Parameters result = new Parameters();
      result.addParameter().setName("outcome").setResource(OperationOutcomes.of(IssueSeverity.INFORMATION,
          IssueType.INFORMATIONAL, "Patient/" + source + " is a record of its own again"));
      result.addParameter().setName("result").setResource(restored);
      return result;
    });
  }

  private static Patient resource(Parameters parameters) {
    ParametersParameterComponent parameter = OperationParameters.single(parameters, "resource");
    if (parameter == null || !(parameter.getResource() instanceof Patient patient)) {
      throw FhirException.badRequest("$match needs a parameter 'resource' holding the Patient to match");
    }
    return patient;
  }

  private static boolean flag(Parameters parameters, String name) {
    ParametersParameterComponent parameter = OperationParameters.single(parameters, name);
    if (parameter == null) {
      return false;
    }
    if (!(parameter.getValue() instanceof BooleanType value)) {
      throw FhirException.badRequest("Parameter '" + name + "' must be a valueBoolean");
    }
    return value.booleanValue();
  }

  private static int count(Parameters parameters) {
    ParametersParameterComponent parameter = OperationParameters.single(parameters, "count");
    if (parameter == null) {
      return DEFAULT_MATCHES;
    }
    if (!(parameter.getValue() instanceof IntegerType value) || value.getValue() < 1 || value.getValue() > MAX_MATCHES) {
      throw FhirException.badRequest("Parameter 'count' must be a valueInteger from 1 to " + MAX_MATCHES);
    }
    return value.getValue();
  }

  private static String patientReference(Parameters parameters, String name) {
    ParametersParameterComponent parameter = OperationParameters.single(parameters, name);
    if (parameter == null || !(parameter.getValue() instanceof Reference reference)) {
      throw FhirException.badRequest("Parameter '" + name + "' must be a valueReference to Patient/{id}");
    }
    return org.tellonce.platform.fhir.References.patientId(reference, name);
  }
}
