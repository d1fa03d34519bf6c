package org.tellonce.platform.fhir;

import ca.uhn.fhir.parser.DataFormatException;

/** Turns HAPI's parser messages into text fit for a caller: HAPI prefixes them with an internal message code. */
final class ParseErrors {

  private static final int MAX_LENGTH = 300;

  private ParseErrors() {}

  static String describe(DataFormatException e) {
    String message = e.getMessage() == null ? "unreadable content" : e.getMessage();
    message = message.replaceFirst("^HAPI-\\d+: ", "");
    return message.length() > MAX_LENGTH ? message.substring(0, MAX_LENGTH) + "…" : message;
  }
}
