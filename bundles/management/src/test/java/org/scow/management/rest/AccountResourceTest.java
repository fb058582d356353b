package org.scow.management.rest;

import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import java.util.Set;
import org.junit.Test;

/** The cluster account endpoints keep their place in the API document (moved here from the rest bundle). */
public class AccountResourceTest {
    @Test
    public void documentListsTheAccountOperations() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(Json.pretty(new Reader(new SwaggerConfiguration())
                .read(Set.of(AccountResource.class))));
        assertTrue(doc.at("/paths/~1api~1v1~1clusters~1{cluster}~1accounts").has("post"));
        assertTrue(doc.at("/paths/~1api~1v1~1clusters~1{cluster}~1accounts~1{account}~1block").has("put"));
    }
}
