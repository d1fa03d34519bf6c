package org.tellonce.platform.fhir;

import java.util.List;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.PrimitiveType;

/** Reads the input of a FHIR operation: each named parameter at most once, with a 400 naming what is wrong. */
public final class OperationParameters {

  private OperationParameters() {}

  /** The one parameter of this name, or null when absent; given twice is a 400. */
  public static ParametersParameterComponent single(Parameters parameters, String name) {
    if (parameters == null) {
      throw FhirException.badRequest("The operation needs a Parameters resource as its body");
    }
    List<ParametersParameterComponent> found = parameters.getParameter().stream()
        .filter(p -> name.equals(p.getName())).toList();
    if (found.size() > 1) {
      throw FhirException.badRequest("Parameter '" + name + "' may be given once");
    }
    return found.isEmpty() ? null : found.get(0);
  }

  /** A valueString parameter's text, or null when absent. */
  public static String string(Parameters parameters, String name) {
    ParametersParameterComponent parameter = single(parameters, name);
    if (parameter == null || !parameter.hasValue()) {
      return null;
    }
    if (!(parameter.getValue() instanceof org.hl7.fhir.r4.model.StringType value)) {
      throw FhirException.badRequest("Parameter '" + name + "' must be a valueString");
    }
    return value.getValue();
  }

  /** A parameter given as any primitive (valueCode, valueString, valueId …), as text, or null when absent. */
  public static String text(Parameters parameters, String name) {
    ParametersParameterComponent parameter = single(parameters, name);
    if (parameter == null || !parameter.hasValue()) {
      return null;
    }
    if (!(parameter.getValue() instanceof PrimitiveType<?> value)) {
      throw FhirException.badRequest("Parameter '" + name + "' must be a primitive value (valueCode or valueString)");
    }
    return value.getValueAsString();
  }
}
