package org.tellonce.hapipeer;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.binary.api.IBinaryStorageSvc;
import ca.uhn.fhir.jpa.binstore.MemoryBinaryStorageSvcImpl;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import jakarta.persistence.EntityManagerFactory;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/**
 * HAPI FHIR's JPA server for R4 on PostgreSQL with its default storage settings: the peer tellonce is measured
 * against. Nothing here tunes HAPI for the benchmark; the settings are those a team gets when it follows HAPI's own
 * configuration (no full-text indexing, which needs Lucene or Elasticsearch beside it).
 */
@Configuration
@EnableTransactionManagement
@Import({JpaR4Config.class, HapiJpaConfig.class, JpaBatch2Config.class, Batch2JobsConfig.class,
    SubscriptionChannelConfig.class, ThreadPoolFactoryConfig.class})
class PeerConfig {

  static String url() {
    return System.getProperty("peer.jdbc", "jdbc:postgresql://127.0.0.1:15432/hapi_peer");
  }

  @Bean
  JpaStorageSettings storageSettings() {
    return new JpaStorageSettings();
  }

  @Bean
  PartitionSettings partitionSettings() {
    return new PartitionSettings();
  }

  @Bean
  IBinaryStorageSvc binaryStorage() {
    return new MemoryBinaryStorageSvcImpl();
  }

  @Bean(destroyMethod = "close")
  BasicDataSource dataSource() {
    BasicDataSource pool = new BasicDataSource();
    pool.setDriverClassName("org.postgresql.Driver");
    pool.setUrl(url());
    pool.setUsername(System.getProperty("peer.user", "postgres"));
    pool.setPassword(System.getProperty("peer.password", ""));
    pool.setMaxTotal(Integer.getInteger("peer.pool", 20));
    return pool;
  }

  @Bean
  LocalContainerEntityManagerFactoryBean entityManagerFactory(ConfigurableListableBeanFactory beans,
      FhirContext fhir, JpaStorageSettings settings, DataSource dataSource) {
    LocalContainerEntityManagerFactoryBean factory =
        HapiEntityManagerFactoryUtil.newEntityManagerFactory(beans, fhir, settings);
    factory.setPersistenceUnitName("HAPI_PU");
    factory.setDataSource(dataSource);
    Properties jpa = new Properties();
    jpa.put("hibernate.dialect", HapiFhirPostgresDialect.class.getName());
    jpa.put("hibernate.hbm2ddl.auto", "update");
    jpa.put("hibernate.search.enabled", "false");
    jpa.put("hibernate.format_sql", "false");
    jpa.put("hibernate.show_sql", "false");
    factory.setJpaProperties(jpa);
    return factory;
  }

  @Bean
  @Primary
  JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
    return new JpaTransactionManager(entityManagerFactory);
  }
}
