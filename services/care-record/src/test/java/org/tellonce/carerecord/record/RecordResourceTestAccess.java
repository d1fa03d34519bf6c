package org.tellonce.carerecord.record;

/** The record test helpers, for tests in other packages. */
public final class RecordResourceTestAccess {

  private RecordResourceTestAccess() {}

  /** Stores an allergy about the person as nurse.mht; answers its id. */
  public static String create(String personId) {
    return RecordResourceTest.create(personId);
  }

  /** An active penicillin allergy about the person, as FHIR JSON. */
  public static String allergy(String personId) {
    return RecordResourceTest.allergy(personId);
  }

  /** The first column of each row of a query of the test database. */
  public static java.util.List<String> query(String sql) throws Exception {
    return RecordStoreTest.query(sql);
  }
}
