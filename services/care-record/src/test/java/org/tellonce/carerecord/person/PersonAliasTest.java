package org.tellonce.carerecord.person;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tellonce.carerecord.record.RecordResourceTestAccess;
import org.tellonce.testing.EventProbe;
import org.tellonce.testing.TellonceInfra;
import org.tellonce.testing.Tokens;

/**
 * After identity merges two records of a person, what is held against the merged-away id is found under the current
 * one. Here the consent service is unreachable on purpose, so a search that finds anything must ask it and fails
 * closed with 503, while a search that finds nothing answers an empty Bundle: the status shows what was found.
 */
@QuarkusTest
@QuarkusTestResource(value = TellonceInfra.class, initArgs = @ResourceArg(name = "database", value = "care_record_test"))
public class PersonAliasTest {

  static void publish(String type, String mergeId, String source, String target) {
    EventProbe.publish("tellonce-test.identity.person.v1", target, UUID.randomUUID().toString(), type, """
        {"mergeId":"%s","sourceId":"%s","targetId":"%s","sourceVersion":2,"targetVersion":2,"by":"MHT01"}
        """.formatted(mergeId, source, target));
  }

  static int search(String personId) {
    return given().auth().oauth2(Tokens.user("nurse.mht"))
        .get("/fhir/AllergyIntolerance?patient=" + personId).then().extract().statusCode();
  }

  @Test
  void recordsOfAMergedAwayPersonAreFoundUnderTheCurrentRecordUntilUnmerged() {
    String source = UUID.randomUUID().toString();
    String target = UUID.randomUUID().toString();
    RecordResourceTestAccess.create(source);
    given().auth().oauth2(Tokens.user("nurse.mht")).get("/fhir/AllergyIntolerance?patient=" + target)
        .then().statusCode(200).body("total", equalTo(0));

    String mergeId = UUID.randomUUID().toString();
    publish("org.tellonce.identity.person.merged.v1", mergeId, source, target);
    await().atMost(Duration.ofSeconds(30)).until(() -> search(target) == 503);

    publish("org.tellonce.identity.person.unmerged.v1", mergeId, source, target);
    await().atMost(Duration.ofSeconds(30)).until(() -> search(target) == 200);
  }
}
