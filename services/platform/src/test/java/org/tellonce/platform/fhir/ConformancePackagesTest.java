package org.tellonce.platform.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FHIR NPM packages for the validator: their profiles apply, and a hostile package writes nothing and is refused. */
class ConformancePackagesTest {

  static final String PROFILE = "https://tellonce.org/fhir/StructureDefinition/test-patient";
  static final String DEFINITION = """
      {"resourceType":"StructureDefinition","url":"%s","name":"TestPatient","status":"active",
       "fhirVersion":"4.0.1","kind":"resource","abstract":false,"type":"Patient",
       "baseDefinition":"http://hl7.org/fhir/StructureDefinition/Patient","derivation":"constraint",
       "differential":{"element":[{"id":"Patient.birthDate","path":"Patient.birthDate","min":1}]}}
      """.formatted(PROFILE);
  static final String MANIFEST = "{\"name\":\"tellonce.test\",\"version\":\"0.1.0\",\"fhirVersions\":[\"4.0.1\"]}";

  @TempDir Path root;

  /** One tar entry: its name and content, or a symbolic link to {@code link}. */
  record Entry(String name, byte[] content, String link) {
    static Entry file(String name, String content) {
      return new Entry(name, content.getBytes(StandardCharsets.UTF_8), null);
    }
  }

  static Path write(Path tgz, Entry... entries) throws IOException {
    Files.createDirectories(tgz.getParent());
    try (OutputStream file = Files.newOutputStream(tgz);
         TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Entry entry : entries) {
        TarArchiveEntry header = entry.link() == null ? new TarArchiveEntry(entry.name(), true)
            : new TarArchiveEntry(entry.name(), TarArchiveEntry.LF_SYMLINK, true);
        if (entry.link() != null) {
          header.setLinkName(entry.link());
        } else {
          header.setSize(entry.content().length);
        }
        tar.putArchiveEntry(header);
        if (entry.link() == null) {
          tar.write(entry.content());
        }
        tar.closeArchiveEntry();
      }
    }
    return tgz;
  }

  /** Every file under the root but the packages themselves: what loading may have written. */
  List<Path> writtenUnder(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).filter(f -> !ConformancePackages.isPackage(f)).toList();
    }
  }

  @Test
  void aPackagesProfilesApplyToTheResourcesThatClaimThem() throws Exception {
    Path folder = root.resolve("conformance");
    write(folder.resolve("tellonce.test-0.1.0.tgz"), Entry.file("package/package.json", MANIFEST),
        Entry.file("package/StructureDefinition-test-patient.json", DEFINITION),
        Entry.file("package/example/Patient-example.json", "{\"resourceType\":\"Patient\"}"));
    ProfileValidation validation = new ProfileValidation(Fhir.context(), folder);
    Patient patient = new Patient();
    patient.getMeta().addProfile(PROFILE);
    List<SingleValidationMessage> errors = validation.errors(patient);
    assertThat(errors).as("the package's profile requires a birth date").isNotEmpty()
        .anySatisfy(m -> assertThat(m.getMessage() + m.getLocationString()).contains("birthDate"));
    patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1950-01-01"));
    assertThat(validation.errors(patient)).isEmpty();
    assertThat(writtenUnder(root)).as("nothing of the package is written to disk").isEmpty();
  }

  @Test
  void aPackageNamingAPathOutsideItsFolderWritesNothingAndIsRefused() throws Exception {
    String escaped = "tellonce-zip-slip-" + UUID.randomUUID() + ".json";
    Path folder = root.resolve("a/b/conformance");
    for (String name : List.of("package/../../../" + escaped, "../" + escaped, "/tmp/" + escaped,
        "package/..\\..\\" + escaped, "C:/Windows/" + escaped)) {
      Files.createDirectories(folder);
      try (Stream<Path> old = Files.list(folder)) {
        for (Path file : old.toList()) {
          Files.delete(file);
        }
      }
      write(folder.resolve("hostile.tgz"), Entry.file("package/package.json", MANIFEST),
          Entry.file("package/StructureDefinition-test-patient.json", DEFINITION), Entry.file(name, DEFINITION));
      assertThatThrownBy(() -> new ProfileValidation(Fhir.context(), folder)).as(name)
          .isInstanceOf(IOException.class).hasMessageContaining("hostile.tgz is refused")
          .hasMessageContaining("outside the package");
      assertThat(writtenUnder(root)).as(name).isEmpty();
      assertThat(Path.of("/tmp", escaped)).doesNotExist();
    }
  }

  @Test
  void aPackageWithALinkOrAnEntryTooLargeIsRefused() throws Exception {
    Path folder = root.resolve("conformance");
    write(folder.resolve("links.tgz"), Entry.file("package/package.json", MANIFEST),
        new Entry("package/StructureDefinition-x.json", null, "/etc/passwd"));
    assertThatThrownBy(() -> new ProfileValidation(Fhir.context(), folder))
        .isInstanceOf(IOException.class).hasMessageContaining("is a link");
    Files.delete(folder.resolve("links.tgz"));

    ByteArrayOutputStream zeros = new ByteArrayOutputStream();
    zeros.write(new byte[(int) ConformancePackages.MAX_ENTRY_BYTES + 1]);
    write(folder.resolve("bomb.tgz"), Entry.file("package/package.json", MANIFEST),
        new Entry("package/StructureDefinition-bomb.json", zeros.toByteArray(), null));
    assertThat(Files.size(folder.resolve("bomb.tgz"))).as("compressed, it is small").isLessThan(1024 * 1024);
    assertThatThrownBy(() -> new ProfileValidation(Fhir.context(), folder))
        .isInstanceOf(IOException.class).hasMessageContaining("larger than 32 MB");
  }

  @Test
  void aConformanceFileThatCannotBeParsedIsNamedInTheFailure() throws Exception {
    Path folder = root.resolve("conformance");
    Files.createDirectories(folder.resolve("structuredefinitions"));
    Files.writeString(folder.resolve("structuredefinitions/StructureDefinition-broken.json"), "{\"resourceType\":");
    assertThatThrownBy(() -> new ProfileValidation(Fhir.context(), folder))
        .hasMessageContaining("StructureDefinition-broken.json");
  }

  @Test
  void onlyRelativeNamesWithinThePackageAreSafe() {
    assertThat(ConformancePackages.safe("package/StructureDefinition-x.json")).isTrue();
    assertThat(ConformancePackages.safe("package/other/..x.json")).isTrue();
    assertThat(ConformancePackages.safe("package/../x.json")).isFalse();
    assertThat(ConformancePackages.safe("/etc/passwd")).isFalse();
    assertThat(ConformancePackages.safe("package\\..\\x.json")).isFalse();
    assertThat(ConformancePackages.safe("D:x.json")).isFalse();
  }
}
