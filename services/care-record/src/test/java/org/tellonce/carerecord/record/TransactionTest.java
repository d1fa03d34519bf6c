package org.tellonce.carerecord.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.TellonceInfra;

/** Transaction Bundles of creates, which need no consent decision: all or nothing, entries referencing each other. */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "care_record_test"))
class TransactionTest {

  static String encounter(String person) {
    return """
        {"fullUrl":"urn:uuid:6f1c1a4e-0000-4000-8000-000000000001",
         "resource":{"resourceType":"Encounter","status":"in-progress",
           "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"HH"},
           "subject":{"reference":"Patient/%s"}},
         "request":{"method":"POST","url":"Encounter"}}
        """.formatted(person);
  }

  static String observation(String person, String code) {
    return """
        {"fullUrl":"urn:uuid:6f1c1a4e-0000-4000-8000-000000000002",
         "resource":{"resourceType":"Observation","status":"final",%s
           "subject":{"reference":"Patient/%s"},
           "encounter":{"reference":"urn:uuid:6f1c1a4e-0000-4000-8000-000000000001"}},
         "request":{"method":"POST","url":"Observation"}}
        """.formatted(code, person);
  }

  static String bundle(String type, String... entries) {
    return "{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":[" + String.join(",", entries) + "]}";
  }

  @Test
  void storesEveryEntryWithReferencesBetweenThemResolved() throws Exception {
    String person = UUID.randomUUID().toString();
    var response = RecordStoreTest.as("nurse.mht")
        .body(bundle("transaction", observation(person, "\"code\":{\"text\":\"Pulse\"},"), encounter(person)))
        .post("/fhir")
        .then().statusCode(200)
        .body("type", equalTo("transaction-response"))
        .body("entry[0].response.status", equalTo("201 Created"))
        .body("entry[1].response.status", equalTo("201 Created"))
        .extract();
    String observation = response.path("entry[0].response.location");
    String encounter = response.path("entry[1].response.location");
    String observationId = observation.split("/")[1];
    String encounterRef = encounter.substring(0, encounter.indexOf("/_history"));
    assertThat(RecordStoreTest.query("select resource from record_resource where id = '" + observationId + "'"))
        .singleElement().asString().contains("\"encounter\":{\"reference\":\"" + encounterRef + "\"}");
    assertThat(RecordStoreTest.query("select count(*) from record_resource where person_id = '" + person
        + "' and resource_type <> 'Provenance'")).containsExactly("2");
  }

  @Test
  void anInvalidEntryStoresNothingAndSaysWhichEntry() throws Exception {
    String person = UUID.randomUUID().toString();
    RecordStoreTest.as("nurse.mht")
        .body(bundle("transaction", encounter(person), observation(person, "")))
        .post("/fhir")
        .then().statusCode(422)
        .body("issue[0].diagnostics", containsString("Entry 1"))
        .body("issue[0].diagnostics", containsString("Nothing in the transaction was stored"));
    String other = UUID.randomUUID().toString();
    RecordStoreTest.as("nurse.mht")
        .body(bundle("transaction", encounter(other), observation(person, "\"code\":{\"text\":\"Pulse\"},")))
        .post("/fhir")
        .then().statusCode(422)
        .body("issue[0].diagnostics", containsString("another person"));
    assertThat(RecordStoreTest.query("select count(*) from record_resource where person_id in ('" + person + "', '"
        + other + "')")).containsExactly("0");
  }

  @Test
  void refusesWhatIsNotATransactionOrBatchAndBundlesTooLarge() {
    RecordStoreTest.as("nurse.mht").body("{\"resourceType\":\"Bundle\",\"type\":\"collection\"}")
        .post("/fhir").then().statusCode(400).body("issue[0].diagnostics", containsString("transaction or batch"));
    RecordStoreTest.as("nurse.mht")
        .body(bundle("transaction", "{\"request\":{\"method\":\"GET\",\"url\":\"Observation?subject=x\"}}"))
        .post("/fhir").then().statusCode(400).body("issue[0].diagnostics", containsString("Entry 0"));
    String entry = "{\"request\":{\"method\":\"DELETE\",\"url\":\"Observation/x\"}}";
    RecordStoreTest.as("nurse.mht")
        .body(bundle("batch", String.join(",", java.util.Collections.nCopies(TransactionResource.MAX_ENTRIES + 1,
            entry))))
        .post("/fhir").then().statusCode(413).body("issue[0].diagnostics", containsString("at most 500"));
  }
}
