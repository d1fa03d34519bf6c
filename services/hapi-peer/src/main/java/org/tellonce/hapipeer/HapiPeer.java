package org.tellonce.hapipeer;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * Runs HAPI FHIR's JPA server at {@code http://127.0.0.1:PORT/fhir} (port from {@code peer.port}, default 18090)
 * against its own PostgreSQL database ({@code peer.jdbc}; deploy/bench.sh creates it), in an embedded Jetty, with every R4
 * resource provider, the system provider (transaction and batch Bundles) and database-backed paging
 * (pages of 20 unless {@code _count} asks for up to 200). No security
 * interceptor: it is the peer without a gate.
 */
public final class HapiPeer {

  private static final Logger LOG = LoggerFactory.getLogger(HapiPeer.class);

  private HapiPeer() {}

  public static void main(String[] args) throws Exception {
    long began = System.nanoTime();
    AnnotationConfigApplicationContext spring = new AnnotationConfigApplicationContext(PeerConfig.class);

    RestfulServer fhir = new RestfulServer(spring.getBean(FhirContext.class));
    fhir.setInterceptorService(spring.getBean(IInterceptorService.class));
    fhir.registerProviders(spring.getBean(ResourceProviderFactory.class).createProviders());
    fhir.registerProvider(spring.getBean(JpaSystemProvider.class));
    // Pages of up to 200, as tellonce serves and as HAPI's own starter server is configured (the provider's built-in
    // maximum is 50, which would make $everything take four times the pages for the same resources).
    DatabaseBackedPagingProvider paging = spring.getBean(DatabaseBackedPagingProvider.class);
    paging.setDefaultPageSize(20);
    paging.setMaximumPageSize(200);
    fhir.setPagingProvider(paging);
    fhir.setDefaultResponseEncoding(EncodingEnum.JSON);

    int port = Integer.getInteger("peer.port", 18090);
    QueuedThreadPool threads = new QueuedThreadPool(Integer.getInteger("peer.threads", 50));
    threads.setName("peer-http");
    Server jetty = new Server(threads);
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder(fhir), "/fhir/*");
    jetty.setHandler(context);
    jetty.setStopAtShutdown(true);
    jetty.start();
    Runtime.getRuntime().addShutdownHook(new Thread(spring::close));
    LOG.info("HAPI FHIR JPA peer serving http://127.0.0.1:{}/fhir, started in {} s", port,
        String.format("%.1f", (System.nanoTime() - began) / 1e9));
    jetty.join();
  }
}
