package org.tellonce.platform.fhir;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * FHIR NPM packages ({@code .tgz}, as NHS England publishes UK Core) read for their conformance resources — entirely in
 * memory. Nothing of a package is ever written to disk, so an entry named to land outside its folder (the "zip slip"
 * of CVE-2023-28465 in the FHIR core libraries' package extraction) has nowhere to land; a package holding such an
 * entry, a link, or more than the size limits is refused whole, with the entry named, because a tampered package must
 * not shape what the validator accepts.
 */
public final class ConformancePackages {

  /** The resource types the validator takes from a package. */
  static final Set<String> TYPES = Set.of("StructureDefinition", "ValueSet", "CodeSystem");

  /** Limits on what one package may unpack to (a compressed bomb is refused, not expanded). */
  static final long MAX_ENTRY_BYTES = 32L * 1024 * 1024;
  static final long MAX_PACKAGE_BYTES = 256L * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private ConformancePackages() {}

  /** Whether the file is a package to read ({@code .tgz}). */
  public static boolean isPackage(Path file) {
    return file.getFileName().toString().endsWith(".tgz");
  }

  /** The StructureDefinitions, ValueSets and CodeSystems of the package; an IOException names what was refused. */
  public static List<IBaseResource> read(FhirContext context, Path tgz) throws IOException {
    List<IBaseResource> resources = new ArrayList<>();
    long total = 0;
    try (InputStream file = Files.newInputStream(tgz);
         TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String name = entry.getName();
        if (!safe(name)) {
          throw new IOException(tgz.getFileName() + " is refused: its entry '" + printable(name)
              + "' names a path outside the package");
        }
        if (entry.isSymbolicLink() || entry.isLink()) {
          throw new IOException(tgz.getFileName() + " is refused: its entry '" + printable(name) + "' is a link");
        }
        if (entry.isDirectory() || !entry.isFile()) {
          continue;
        }
        if (entry.getSize() > MAX_ENTRY_BYTES) {
          throw new IOException(tgz.getFileName() + " is refused: its entry '" + printable(name) + "' is larger than "
              + MAX_ENTRY_BYTES / (1024 * 1024) + " MB");
        }
        byte[] content = readAtMost(tar, MAX_ENTRY_BYTES, tgz, name);
        total += content.length;
        if (total > MAX_PACKAGE_BYTES) {
          throw new IOException(tgz.getFileName() + " is refused: it unpacks to more than "
              + MAX_PACKAGE_BYTES / (1024 * 1024) + " MB");
        }
        if (name.startsWith("package/") && name.endsWith(".json") && !name.contains("/.")
            && !name.substring("package/".length()).contains("/") && !name.endsWith("package.json")) {
          String type = JSON.readTree(content).path("resourceType").asText();
          if (TYPES.contains(type)) {
            resources.add(context.newJsonParser().parseResource(new String(content, StandardCharsets.UTF_8)));
          }
        }
      }
    }
    return resources;
  }

  /** A relative name that stays within the package: no absolute path, drive, backslash or {@code ..} segment. */
  static boolean safe(String name) {
    if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains("\0")
        || name.matches("^[A-Za-z]:.*")) {
      return false;
    }
    for (String segment : name.split("/")) {
      if (segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  private static byte[] readAtMost(InputStream in, long limit, Path tgz, String name) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    long read = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      read += n;
      if (read > limit) {
        throw new IOException(tgz.getFileName() + " is refused: its entry '" + printable(name) + "' is larger than "
            + limit / (1024 * 1024) + " MB");
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private static String printable(String name) {
    return name.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
