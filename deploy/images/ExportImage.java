import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * deploy/images.sh's helper, with Jib's library:
 *
 * <pre>
 *   ExportImage REGISTRY_IMAGE TARBALL NAME   copy an image from a (loopback, plain-HTTP) registry into an OCI tarball
 *   ExportImage --layers FOLDER               of an OCI image layout unpacked in FOLDER: print each layer's blob path in
 *                                             order, then the image's environment (NAME=value ...) on one line, then
 *                                             the working directory, entrypoint and arguments as one last line
 * </pre>
 */
public class ExportImage {

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && "--layers".equals(args[0])) {
      layers(Path.of(args[1]));
      return;
    }
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: ExportImage REGISTRY_IMAGE TARBALL NAME | --layers FOLDER");
    }
    Path tarball = Path.of(args[1]);
    Files.deleteIfExists(tarball);
    Jib.from(RegistryImage.named(ImageReference.parse(args[0])))
        .setFormat(ImageFormat.OCI)
        .containerize(Containerizer.to(TarImage.at(tarball).named(args[2]))
            .setAllowInsecureRegistries(true)
            .setToolName("tellonce-images"));
  }

  private static void layers(Path folder) throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode index = json.readTree(folder.resolve("index.json").toFile());
    JsonNode manifest = json.readTree(blob(folder, index.path("manifests").path(0).path("digest").asText()).toFile());
    for (JsonNode layer : manifest.path("layers")) {
      System.out.println(blob(folder, layer.path("digest").asText()));
    }
    JsonNode config = json.readTree(blob(folder, manifest.path("config").path("digest").asText()).toFile())
        .path("config");
    List<String> environment = new ArrayList<>();
    config.path("Env").forEach(variable -> environment.add(variable.asText()));
    System.out.println(String.join(" ", environment));
    List<String> command = new ArrayList<>();
    config.path("Entrypoint").forEach(part -> command.add(part.asText()));
    config.path("Cmd").forEach(part -> command.add(part.asText()));
    System.out.println(config.path("WorkingDir").asText("/") + " " + String.join(" ", command));
  }

  private static Path blob(Path folder, String digest) {
    String[] parts = digest.split(":", 2);
    return folder.resolve("blobs").resolve(parts[0]).resolve(parts[1]);
  }
}
