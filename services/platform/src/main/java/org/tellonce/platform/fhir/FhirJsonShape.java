package org.tellonce.platform.fhir;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.parser.DataFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseBooleanDatatype;
import org.hl7.fhir.instance.model.api.IBaseDecimalDatatype;
import org.hl7.fhir.instance.model.api.IBaseIntegerDatatype;

/**
 * FHIR R4's JSON form, checked element by element against HAPI's definitions before a body is parsed: a repeating
 * element is an array and a single one is not, a primitive is a JSON string, number or boolean as its type says, a
 * complex element is an object, and arrays never nest. HAPI's parser, even strict, quietly repairs such departures (a
 * single value where an array belongs, a number where a string does, an array inside an array), so without this a
 * malformed body could be stored as something the sender did not write. Unknown elements and types are left to the
 * parser, which names them.
 */
public final class FhirJsonShape {

  private FhirJsonShape() {}

  /** Where the resource departs from FHIR R4 JSON, in words, or null when its shape is right. */
  public static String problem(JsonNode resource) {
    return resource(resource, "");
  }

  private static String resource(JsonNode node, String path) {
    if (!node.isObject()) {
      return at(path) + "must be a JSON object holding a resource";
    }
    JsonNode type = node.get("resourceType");
    if (type == null || !type.isTextual()) {
      return null;  // the parser says what is missing
    }
    RuntimeResourceDefinition definition;
    try {
      definition = Fhir.context().getResourceDefinition(type.asText());
    } catch (DataFormatException | IllegalArgumentException e) {
      return null;  // an unknown or blank type: the parser names it
    }
    return composite(node, definition, path.isEmpty() ? type.asText() : path);
  }

  private static String composite(JsonNode node, BaseRuntimeElementCompositeDefinition<?> definition, String path) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      if (name.equals("resourceType") || name.equals("fhir_comments")) {
        continue;
      }
      boolean extensionOfPrimitive = name.startsWith("_");
      String element = extensionOfPrimitive ? name.substring(1) : name;
      BaseRuntimeChildDefinition child = definition.getChildByName(element);
      if (child == null) {
        continue;  // an unknown element: the strict parser refuses it by name
      }
      String here = path + "." + name;
      JsonNode value = field.getValue();
      boolean repeating = child.getMax() != 1;
      if (repeating != value.isArray() && !value.isNull()) {
        return at(here) + (repeating ? "repeats, so it must be a JSON array" : "occurs once, so it must not be an array");
      }
      if (extensionOfPrimitive) {
        continue;  // id and extensions of a primitive: objects (or nulls) the parser reads
      }
      BaseRuntimeElementDefinition<?> type = child.getChildByName(element);
      if (type == null) {
        continue;
      }
      if (value.isArray()) {
        for (int i = 0; i < value.size(); i++) {
          String problem = value(value.get(i), type, here + "[" + i + "]", true);
          if (problem != null) {
            return problem;
          }
        }
      } else {
        String problem = value(value, type, here, false);
        if (problem != null) {
          return problem;
        }
      }
    }
    return null;
  }

  private static String value(JsonNode value, BaseRuntimeElementDefinition<?> type, String path, boolean inArray) {
    if (value.isArray()) {
      return at(path) + "is an array inside an array";
    }
    if (value.isNull()) {
      return inArray ? null : at(path) + "is null (leave an element out instead)";
    }
    switch (type.getChildType()) {
      case PRIMITIVE_DATATYPE, ID_DATATYPE, PRIMITIVE_XHTML, PRIMITIVE_XHTML_HL7ORG -> {
        Class<?> java = type.getImplementingClass();
        if (IBaseBooleanDatatype.class.isAssignableFrom(java)) {
          return value.isBoolean() ? null : at(path) + "must be true or false";
        }
        if (IBaseIntegerDatatype.class.isAssignableFrom(java) || IBaseDecimalDatatype.class.isAssignableFrom(java)) {
          return value.isNumber() ? null : at(path) + "must be a JSON number";
        }
        return value.isTextual() ? null : at(path) + "must be a JSON string";
      }
      case RESOURCE, CONTAINED_RESOURCES, CONTAINED_RESOURCE_LIST -> {
        return resource(value, path);
      }
      default -> {
        if (!value.isObject()) {
          return at(path) + "must be a JSON object";
        }
        return type instanceof BaseRuntimeElementCompositeDefinition<?> composite
            ? composite(value, composite, path) : null;
      }
    }
  }

  private static String at(String path) {
    return path + " ";
  }
}
