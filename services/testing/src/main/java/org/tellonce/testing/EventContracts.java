package org.tellonce.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Checks events as sent against contracts/events: CloudEvents headers, key = subject, data = the type's schema. */
public final class EventContracts {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Path CONTRACTS = Path.of(System.getProperty("tellonce.contracts", "../../contracts"));

  private EventContracts() {}

  /** The problems of one event, empty when it keeps the contract. */
  public static Set<String> problems(EventProbe.Event event) throws Exception {
    String type = event.header("ce_type");
    if (type == null || !"1.0".equals(event.header("ce_specversion")) || event.header("ce_id") == null
        || event.header("ce_source") == null) {
      return Set.of("missing CloudEvents headers on " + event.topic());
    }
    if (event.key() == null || !event.key().equals(event.header("ce_subject"))) {
      return Set.of(type + ": the key must be the subject (the person id)");
    }
    Path schemaFile = CONTRACTS.resolve("events/" + type + ".schema.json");
    if (!Files.exists(schemaFile)) {
      return Set.of(type + ": no schema in contracts/events");
    }
    JsonSchema schema;
    try (InputStream in = Files.newInputStream(schemaFile)) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    }
    JsonNode data = MAPPER.readTree(event.data());
    return schema.validate(data).stream().map(ValidationMessage::getMessage).map(m -> type + ": " + m)
        .collect(java.util.stream.Collectors.toSet());
  }
}
