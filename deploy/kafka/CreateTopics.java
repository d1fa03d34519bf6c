import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates the tellonce topics that do not exist yet (run as a single-file program with the broker's libs on the
 * class path: Kafka's console tools are not all served from Maven Central). Arguments: bootstrap servers, the topics
 * file, the topic prefix.
 */
public class CreateTopics {
  public static void main(String[] args) throws Exception {
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    String prefix = args.length > 2 ? args[2] : "tellonce.";
    List<NewTopic> wanted = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[1]))) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\\s+");
      wanted.add(new NewTopic(prefix + fields[0], Integer.parseInt(fields[1]), (short) 1)
          .configs(Map.of("cleanup.policy", fields[2])));
    }
    try (Admin admin = Admin.create(config)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
            throw e;
          }
        }
      }
      System.out.println("topics: " + wanted.size() + " defined, " + missing.size() + " created");
    }
  }
}
