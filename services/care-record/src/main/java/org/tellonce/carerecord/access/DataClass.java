package org.tellonce.carerecord.access;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * A class of data the consent service decides on: a resource type with a set of security labels. A decision depends
 * on nothing else about a resource (the person, actor, purpose and time being fixed), so one decision per class held
 * covers a whole record, and what a caller may see can be turned into the database query.
 *
 * @param labels the labels sorted and comma-joined, as the record stores them
 */
public record DataClass(String resourceType, String labels) {

  public static DataClass of(String resourceType, List<String> labels) {
    return new DataClass(resourceType, canonical(labels));
  }

  /** The labels as the record stores them: distinct, sorted, comma-joined. */
  public static String canonical(List<String> labels) {
    return String.join(",", new TreeSet<>(labels));
  }

  /** The id of the class in a decision request and in the record's queries: {@code Type|labels}. */
  public String key() {
    return resourceType + "|" + labels;
  }

  public List<String> labelList() {
    return labels.isEmpty() ? List.of() : Arrays.asList(labels.split(","));
  }
}
