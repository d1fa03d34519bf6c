package org.tellonce.platform.fhir;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/** Writes an {@link EncodedResource}'s JSON as it is (a server response in one write, with its length). */
@Provider
@Produces({Fhir.JSON, MediaType.APPLICATION_JSON})
public class EncodedResourceBodyWriter implements ServerMessageBodyWriter<EncodedResource> {

  @Override
  public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
    return EncodedResource.class.isAssignableFrom(type);
  }

  @Override
  public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target,
      MediaType mediaType) {
    return EncodedResource.class.isAssignableFrom(type);
  }

  @Override
  public void writeTo(EncodedResource resource, Class<?> type, Type genericType, Annotation[] annotations,
      MediaType mediaType, MultivaluedMap<String, Object> httpHeaders, OutputStream entityStream) throws IOException {
    entityStream.write(resource.json().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void writeResponse(EncodedResource resource, Type genericType, ServerRequestContext context) {
    context.serverResponse().end(resource.json().getBytes(StandardCharsets.UTF_8));
  }
}
