package org.scow.apps.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;
import org.scow.apps.internal.AppDefinition.SchedulerField;

public class DefinitionReaderTest {
    static final Path SHIPPED = Path.of("../../karaf-distribution/src/main/resources/etc/apps");

    static final String MINIMAL = """
            name: Test
            type: web
            clusters: [local]
            beforeScript: PORT=$(scow_free_port)
            script: exec server --port "$PORT"
            connect: { path: / }
            """;

    @Test
    public void theShippedDefinitionsAndTheTemplateAreValid() throws Exception {
        for (String id : List.of("jupyter", "vscode", "desktop")) {
            AppDefinition a = DefinitionReader.read(id + ".yaml", Files.readString(SHIPPED.resolve(id + ".yaml")));
            assertEquals(id, a.id());
            assertTrue(a.offeredOn("local"));
        }
        AppDefinition jupyter = DefinitionReader.read("jupyter.yaml", Files.readString(SHIPPED.resolve("jupyter.yaml")));
        assertEquals(AppDefinition.Type.WEB, jupyter.type());
        assertEquals("token", jupyter.connect().passwordField());
        assertEquals(Long.valueOf(1440), jupyter.scheduler().get(SchedulerField.Name.TIME).max());
        assertEquals(AppDefinition.AttributeType.FILE, jupyter.attribute("notebookDir").type());
        AppDefinition desktop = DefinitionReader.read("desktop.yaml", Files.readString(SHIPPED.resolve("desktop.yaml")));
        assertEquals(AppDefinition.Type.VNC, desktop.type());
        assertEquals(AppDefinition.Proxy.RELATIVE, desktop.proxy());
        DefinitionReader.read("custom.yaml", Files.readString(SHIPPED.resolve("custom-template.yaml.example")));
    }

    @Test
    public void minimalDefinitionGetsDefaults() throws Exception {
        AppDefinition a = DefinitionReader.read("t.yaml", MINIMAL);
        assertEquals(300, a.startTimeoutSeconds());
        assertEquals(AppDefinition.Proxy.ABSOLUTE, a.proxy());
        assertEquals("GET", a.connect().method());
        assertEquals(SchedulerField.open(SchedulerField.Name.GPUS), a.scheduler().get(SchedulerField.Name.GPUS));
        assertTrue(a.offeredOn("local"));
        assertTrue(!a.offeredOn("other"));
    }

    @Test
    public void errorsNameTheFileAndTheField() {
        rejects("Bad.yaml", MINIMAL, "Bad.yaml: the app id");
        rejects("t.yaml", "name: [", "t.yaml: not valid YAML");
        rejects("t.yaml", MINIMAL.replace("name: Test\n", ""), "t.yaml: name: is required");
        rejects("t.yaml", MINIMAL + "colour: red\n", "t.yaml: colour: unknown key");
        rejects("t.yaml", MINIMAL.replace("type: web", "type: desktop"), "t.yaml: type: 'desktop' is not one of web, vnc");
        rejects("t.yaml", MINIMAL.replace("clusters: [local]", "clusters: []"), "t.yaml: clusters: must name");
        rejects("t.yaml", MINIMAL.replace("clusters: [local]", "clusters: [\"a b\"]"), "t.yaml: clusters[0]: 'a b'");
        rejects("t.yaml", MINIMAL + "scheduler: { gpus: { max: many } }\n", "t.yaml: scheduler.gpus.max: must be a whole number");
        rejects("t.yaml", MINIMAL + "scheduler: { partition: { min: 1 } }\n", "t.yaml: scheduler.partition: min and max");
        rejects("t.yaml", MINIMAL + "scheduler: { time: { hidden: true } }\n", "t.yaml: scheduler.time.hidden: a hidden field");
        rejects("t.yaml", MINIMAL + "scheduler: { nodes: { fixed: 2 } }\n", "t.yaml: scheduler.nodes: unknown key");
        rejects("t.yaml", MINIMAL + "attributes: [{ name: v, type: select }]\n", "t.yaml: attributes[0].options: a select needs");
        rejects("t.yaml", MINIMAL + "attributes: [{ name: 1x, type: text }]\n", "t.yaml: attributes[0].name:");
        rejects("t.yaml", MINIMAL + "attributes: [{ name: user, type: text }]\n", "t.yaml: attributes[0].name: 'user' is already taken");
        rejects("t.yaml", MINIMAL + "attributes: [{ name: n, type: number, max: 3, default: 5 }]\n",
                "t.yaml: attributes[0].default: must be between");
        rejects("t.yaml", MINIMAL.replace("exec server", "exec server {{ nope }}"), "t.yaml: script: {{ nope }} names no attribute");
        rejects("t.yaml", MINIMAL.replace("connect: { path: / }", "connect: { path: / , method: PUT }"),
                "t.yaml: connect.method: must be GET or POST");
        rejects("t.yaml", MINIMAL.replace("connect: { path: / }", "connect: { path: \"/x y\" }"), "t.yaml: connect.path:");
        rejects("t.yaml", MINIMAL.replace("connect: { path: / }\n", ""), "t.yaml: connect: is required");
        rejects("t.yaml", MINIMAL + "name: twice\n", "t.yaml: not valid YAML");
        rejects("t.yaml", MINIMAL + "startTimeoutSeconds: 5\n", "t.yaml: startTimeoutSeconds: must be between 10");
        // a YAML tag that would build a Java object is refused by the safe constructor
        rejects("t.yaml", MINIMAL + "icon: !!java.io.File [\"/etc\"]\n", "t.yaml: not valid YAML");
    }

    private static void rejects(String file, String yaml, String start) {
        try {
            DefinitionReader.read(file, yaml);
            fail("accepted: " + yaml);
        } catch (DefinitionException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(start));
        }
    }
}
