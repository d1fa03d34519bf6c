package org.tellonce.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tellonce.testing.SharingAgreements;
import org.tellonce.testing.Tokens;

/**
 * No server-side request forgery: profiles, code systems, value sets and references that point at a listener on this
 * machine, and XML external entities naming it, make no service open a connection to it — the validator and parsers
 * work only from the definitions the services hold. Every such request is answered below 500.
 */
class NoOutboundFetchIT {

  @Test
  void urlsInBodiesAreNeverFetched() throws Exception {
    SharingAgreements.ensure(Services.CONSENT);
    String personId = People.register("nurse.mht", "Outbound", "Otto", "1962-05-05");
    AtomicInteger connections = new AtomicInteger();
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      listener.setSoTimeout(200);
      Thread accepting = new Thread(() -> {
        while (!listener.isClosed()) {
          try (var socket = listener.accept()) {
            connections.incrementAndGet();
          } catch (SocketTimeoutException e) {
            // keep listening
          } catch (Exception e) {
            return;
          }
        }
      });
      accepting.start();
      // the listener counts a connection (so a fetch by a service would be seen), then starts from nothing
      new java.net.Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort()).close();
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> connections.get() == 1);
      connections.set(0);
      String here = "http://127.0.0.1:" + listener.getLocalPort();
      List<Integer> statuses = new ArrayList<>();
      String observation = """
          {"resourceType":"Observation","meta":{"profile":["%1$s/StructureDefinition/evil"]},"status":"final",
           "code":{"coding":[{"system":"%1$s/CodeSystem/evil","code":"x"}]},"subject":{"reference":"Patient/%2$s"},
           "valueCodeableConcept":{"coding":[{"system":"%1$s/fhir/ValueSet/evil","code":"y"}]},
           "extension":[{"url":"%1$s/StructureDefinition/ext","valueString":"z"}],
           "basedOn":[{"reference":"%1$s/fhir/ServiceRequest/1"}]}""".formatted(here, personId);
      statuses.add(post(Services.CARE_RECORD, "/fhir/Observation", "application/fhir+json", observation));
      statuses.add(post(Services.IDENTITY, "/fhir/Patient", "application/fhir+json", """
          {"resourceType":"Patient","meta":{"profile":["%s/StructureDefinition/patient"]},
           "identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"%s"}],
           "name":[{"family":"Outbound","given":["Ola"]}],"birthDate":"1962-05-06"}""".formatted(here,
          People.nhsNumber())));
      statuses.add(post(Services.CONSENT, "/fhir/Consent", "application/fhir+json",
          org.tellonce.testing.Consents.objection(personId, "LA001", "active")
              .replace("\"resourceType\":\"Consent\",", "\"resourceType\":\"Consent\",\"meta\":{\"profile\":[\"" + here
                  + "/StructureDefinition/consent\"]},")));
      String xxe = """
          <?xml version="1.0"?><!DOCTYPE Patient [<!ENTITY xxe SYSTEM "%s/xxe">]>
          <Patient xmlns="http://hl7.org/fhir"><name><family value="&xxe;"/></name></Patient>""".formatted(here);
      for (String service : List.of(Services.IDENTITY, Services.CONSENT, Services.CARE_RECORD, Services.REFERRAL)) {
        statuses.add(post(service, "/fhir/Patient", "application/fhir+xml", xxe));
        statuses.add(post(service, "/fhir/Patient", "application/fhir+json", xxe));
      }
      Thread.sleep(2000);
      listener.close();
      accepting.join();
      assertThat(statuses).allSatisfy(status -> assertThat(status).isLessThan(500));
      assertThat(connections.get()).as("connections the services opened to the URLs in the bodies").isZero();
    }
  }

  static int post(String service, String path, String contentType, String body) {
    return given().auth().oauth2(Tokens.user("nurse.mht")).baseUri(service).contentType(contentType).body(body)
        .post(path).statusCode();
  }
}
