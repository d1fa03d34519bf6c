package org.tellonce.platform.fhir;

import ca.uhn.fhir.parser.DataFormatException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * Reads and writes FHIR resources as JSON with HAPI's parser; a body that is not FHIR R4 JSON — unreadable, nested too
 * deep, shaped unlike FHIR's JSON (FhirJsonShape) or refused by the strict parser — is the caller's mistake (400).
 */
@Provider
@Consumes({Fhir.JSON, MediaType.APPLICATION_JSON})
@Produces({Fhir.JSON, MediaType.APPLICATION_JSON})
public class FhirResourceBodyHandler implements MessageBodyReader<IBaseResource>,
    ServerMessageBodyWriter<IBaseResource> {

  /** Reads a body as a JSON tree first, to check its FHIR shape (FhirJsonShape) before HAPI parses it. */
  private static final com.fasterxml.jackson.databind.ObjectMapper SHAPES =
      new com.fasterxml.jackson.databind.ObjectMapper();

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
    String body = new String(entityStream.readAllBytes(), StandardCharsets.UTF_8);
    String shape;
    try {
      shape = FhirJsonShape.problem(SHAPES.readTree(body));
    } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
      throw FhirException.badRequest("The body nests deeper than the 1,000 levels a FHIR resource may have");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw FhirException.badRequest("The body is not JSON: " + e.getOriginalMessage());
    }
    if (shape != null) {
      throw FhirException.badRequest("The body is not FHIR R4 JSON: " + shape);
    }
    try {
      if (type.isInterface() || java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
        return Fhir.json().parseResource(body);
      }
      return Fhir.json().parseResource(type, body);
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
    // written whole and not flushed: a flush sends what is written so far, and the rest goes chunked
    entityStream.write(encode(resource));
  }

  @Override
  public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target,
      MediaType mediaType) {
    return IBaseResource.class.isAssignableFrom(type);
  }

  /**
   * A server response is sent in one write with its length. (Through the output stream, HAPI's encoder flushes at
   * its end: the body went out as a chunk and the response's end as another, two writes to the socket per read.)
   */
  @Override
  public void writeResponse(IBaseResource resource, Type genericType, ServerRequestContext context) {
    context.serverResponse().end(encode(resource));
  }

  private static byte[] encode(IBaseResource resource) {
    return Fhir.json().encodeResourceToString(resource).getBytes(StandardCharsets.UTF_8);
  }
}
