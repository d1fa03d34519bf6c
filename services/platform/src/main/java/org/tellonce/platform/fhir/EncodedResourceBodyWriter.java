package org.tellonce.platform.fhir;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/** Writes an {@link EncodedResource}'s JSON as it is. */
@Provider
@Produces({Fhir.JSON, MediaType.APPLICATION_JSON})
public class EncodedResourceBodyWriter implements MessageBodyWriter<EncodedResource> {

  @Override
  public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
    return EncodedResource.class.isAssignableFrom(type);
  }

  @Override
  public void writeTo(EncodedResource resource, Class<?> type, Type genericType, Annotation[] annotations,
      MediaType mediaType, MultivaluedMap<String, Object> httpHeaders, OutputStream entityStream) throws IOException {
    entityStream.write(resource.json().getBytes(StandardCharsets.UTF_8));
  }
}
