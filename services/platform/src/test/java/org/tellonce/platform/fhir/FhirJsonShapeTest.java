package org.tellonce.platform.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

class FhirJsonShapeTest {

  static final JsonMapper JSON = JsonMapper.builder().build();

  static String problem(String json) throws Exception {
    return FhirJsonShape.problem(JSON.readTree(json));
  }

  @Test
  void acceptsFhirJsonAsTheSpecificationWritesIt() throws Exception {
    assertThat(problem("""
        {"resourceType":"Patient","id":"p1","active":true,"multipleBirthInteger":2,
         "identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765919"}],
         "name":[{"family":"Smith","given":["Jo","Ann"],"_given":[null,{"extension":[{"url":"http://x",
           "valueString":"y"}]}]}],
         "contained":[{"resourceType":"Organization","id":"o","name":"GP"}],
         "text":{"status":"generated","div":"<div xmlns=\\"http://www.w3.org/1999/xhtml\\">Jo</div>"}}""")).isNull();
    assertThat(problem("""
        {"resourceType":"Observation","status":"final","code":{"text":"Pulse"},
         "valueQuantity":{"value":72.5,"unit":"/min"}}""")).isNull();
    assertThat(problem("""
        {"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"Patient",
         "name":[{"family":"Smith"}]},"request":{"method":"POST","url":"Patient"}}]}""")).isNull();
  }

  @Test
  void namesTheFirstElementThatIsNotShapedAsFhirSays() throws Exception {
    assertThat(problem("{\"resourceType\":\"Patient\",\"name\":[{\"given\":\"Jo\"}]}"))
        .isEqualTo("Patient.name[0].given repeats, so it must be a JSON array");
    assertThat(problem("{\"resourceType\":\"Patient\",\"name\":[{\"family\":[\"Smith\"]}]}"))
        .isEqualTo("Patient.name[0].family occurs once, so it must not be an array");
    assertThat(problem("{\"resourceType\":\"Patient\",\"active\":\"true\"}"))
        .isEqualTo("Patient.active must be true or false");
    assertThat(problem("{\"resourceType\":\"Patient\",\"multipleBirthInteger\":\"2\"}"))
        .isEqualTo("Patient.multipleBirthInteger must be a JSON number");
    assertThat(problem("{\"resourceType\":\"Patient\",\"gender\":42}")).isEqualTo("Patient.gender must be a JSON string");
    assertThat(problem("{\"resourceType\":\"Patient\",\"name\":[[{\"family\":\"Smith\"}]]}"))
        .isEqualTo("Patient.name[0] is an array inside an array");
    assertThat(problem("{\"resourceType\":\"Observation\",\"valueQuantity\":\"72 /min\"}"))
        .isEqualTo("Observation.valueQuantity must be a JSON object");
    assertThat(problem("{\"resourceType\":\"Patient\",\"birthDate\":null}"))
        .isEqualTo("Patient.birthDate is null (leave an element out instead)");
    assertThat(problem("{\"resourceType\":\"Patient\",\"contained\":[{\"resourceType\":\"Organization\",\"name\":1}]}"))
        .isEqualTo("Patient.contained[0].name must be a JSON string");
    assertThat(problem("""
        {"resourceType":"Bundle","type":"batch","entry":[{"resource":{"resourceType":"Patient","name":{"family":"X"}}}]}
        """)).isEqualTo("Bundle.entry[0].resource.name repeats, so it must be a JSON array");
    assertThat(problem("[]")).isEqualTo(" must be a JSON object holding a resource");
  }

  @Test
  void leavesUnknownElementsAndTypesToTheParserWhichNamesThem() throws Exception {
    assertThat(problem("{\"resourceType\":\"Patient\",\"bogus\":[[1]]}")).isNull();
    assertThat(problem("{\"resourceType\":\"Bogus\",\"name\":1}")).isNull();
    assertThat(problem("{\"resourceType\":\"\",\"name\":1}")).isNull();
    assertThat(problem("{\"resourceType\":\"Patient \",\"name\":1}")).isNull();
  }
}
