package org.tellonce.identity.directory;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.DomainResource;
import org.tellonce.platform.security.Actor;

/**
 * One directory resource type: how it is checked and which search tokens it has. Search parameters are of two kinds:
 * {@code token} (exact: identifiers as {@code system|value} and {@code value}, codes, references) and {@code string}
 * (starts-with on a normalised name).
 */
public interface DirectoryKind<T extends DomainResource> {

  String type();

  Class<T> resourceClass();

  /** Search parameter name to FHIR type ({@code token}, {@code string} or {@code reference}). */
  Map<String, String> searchParameters();

  /** Checks the resource (a 422 saying what is wrong) and answers its search tokens. */
  List<Token> index(T resource);

  /**
   * Runs inside the write's transaction, after the tokens are stored: a failure rolls the write back. {@code previous}
   * is the version before an update, or null for a create.
   */
  default Uni<Void> afterWrite(String id, T resource, T previous, Actor actor) {
    return Uni.createFrom().voidItem();
  }

  record Token(String param, String value) {}
}
