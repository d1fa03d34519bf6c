package org.tellonce.platform.fhir;

import ca.uhn.fhir.parser.DataFormatException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** Reads and writes FHIR resources as JSON with HAPI's parser; a body HAPI cannot parse is the caller's mistake (400). */
@Provider
@Consumes({Fhir.JSON, MediaType.APPLICATION_JSON})
@Produces({Fhir.JSON, MediaType.APPLICATION_JSON})
public class FhirResourceBodyHandler implements MessageBodyReader<IBaseResource>, MessageBodyWriter<IBaseResource> {

  @Override
  public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
    return IBaseResource.class.isAssignableFrom(type);
  }

  @Override
  public IBaseResource readFrom(
      Class<IBaseResource> type,
      Type genericType,
      Annotation[] annotations,
      MediaType mediaType,
      MultivaluedMap<String, String> httpHeaders,
      InputStream entityStream)
      throws IOException, WebApplicationException {
    try (var reader = new InputStreamReader(entityStream, StandardCharsets.UTF_8)) {
      if (type.isInterface() || java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
        return Fhir.json().parseResource(reader);
      }
      return Fhir.json().parseResource(type, reader);
    } catch (DataFormatException e) {
      throw FhirException.badRequest("The body is not a valid FHIR R4 JSON resource: " + ParseErrors.describe(e));
    }
  }

  @Override
  public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
    return IBaseResource.class.isAssignableFrom(type);
  }

  @Override
  public void writeTo(
      IBaseResource resource,
      Class<?> type,
      Type genericType,
      Annotation[] annotations,
      MediaType mediaType,
      MultivaluedMap<String, Object> httpHeaders,
      OutputStream entityStream)
      throws IOException, WebApplicationException {
    Writer writer = new OutputStreamWriter(entityStream, StandardCharsets.UTF_8);
    Fhir.json().encodeResourceToWriter(resource, writer);
    writer.flush();
  }
}
