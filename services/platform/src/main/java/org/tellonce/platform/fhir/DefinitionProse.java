package org.tellonce.platform.fhir;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * Drops what conformance resources say to people and the validator never reads: narrative, descriptions, purpose,
 * copyright, each element's definition, comment, requirements, aliases, examples and mappings to other standards,
 * invariants' XPath (their FHIRPath is what is checked) and code system concepts' definitions. What validation
 * decides by is kept: elements, cardinalities, types, slicing, fixed and pattern values, bindings, invariants (with
 * their human text, which messages quote), names, titles and short descriptions, concepts' codes, displays and
 * designations.
 *
 * <p>The validator holds every definition twice (as read, R4, and converted to R5 for the validation engine), and
 * the prose is most of their size. Applied to a definition before the validator first sees it, the R5 copy is made
 * from the trimmed one.
 */
public final class DefinitionProse {

  private DefinitionProse() {
  }

  /** Removes the prose from an R4 StructureDefinition, ValueSet or CodeSystem, in place; other resources as they are. */
  public static void drop(IBaseResource resource) {
    if (resource instanceof StructureDefinition || resource instanceof ValueSet || resource instanceof CodeSystem) {
      ((DomainResource) resource).setText(null);
    }
    if (resource instanceof StructureDefinition definition) {
      definition.setDescription(null).setPurpose(null).setCopyright(null);
      definition.getMapping().clear();
      definition.getSnapshot().getElement().forEach(DefinitionProse::drop);
      definition.getDifferential().getElement().forEach(DefinitionProse::drop);
    } else if (resource instanceof ValueSet valueSet) {
      valueSet.setDescription(null).setPurpose(null).setCopyright(null);
    } else if (resource instanceof CodeSystem codeSystem) {
      codeSystem.setDescription(null).setPurpose(null).setCopyright(null);
      codeSystem.getConcept().forEach(DefinitionProse::drop);
    }
  }

  private static void drop(ElementDefinition element) {
    element.setDefinition(null).setComment(null).setRequirements(null).setMeaningWhenMissing(null);
    element.getAlias().clear();
    element.getExample().clear();
    element.getMapping().clear();
    for (ElementDefinition.ElementDefinitionConstraintComponent constraint : element.getConstraint()) {
      // FHIRPath (expression) is what is checked; XPath is the older statement of the same rule
      constraint.setXpath(null).setRequirements(null);
    }
  }

  private static void drop(CodeSystem.ConceptDefinitionComponent concept) {
    concept.setDefinition(null);
    concept.getConcept().forEach(DefinitionProse::drop);
  }
}
