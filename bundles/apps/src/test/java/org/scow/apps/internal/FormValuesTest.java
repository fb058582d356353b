package org.scow.apps.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.scow.api.scheduler.Partition;

public class FormValuesTest {
    private static final List<Partition> PARTITIONS = List.of(
            new Partition("debug", 1, 8, 16000, 0, List.of(), 120L, true, null),
            new Partition("gpu", 2, 64, 256000, 4, List.of("normal", "high"), null, true, null),
            new Partition("down", 1, 8, 16000, 0, List.of(), null, false, null));

    private static AppDefinition app(String extra) throws Exception {
        return DefinitionReader.read("t.yaml", DefinitionReaderTest.MINIMAL + extra);
    }

    private static FormValues.Resources resolve(AppDefinition app, Map<String, String> values) throws Exception {
        return FormValues.resources(app, values, List.of("acct1", "acct2"), a -> PARTITIONS);
    }

    @Test
    public void defaultsAndChoices() throws Exception {
        FormValues.Resources r = resolve(app(""), Map.of("account", "acct2"));
        assertEquals(new FormValues.Resources("acct2", "debug", null, 0, 1, 60), r);
        r = resolve(app(""), Map.of("account", "acct1", "partition", "gpu", "qos", "high", "gpus", "2", "time", "600"));
        assertEquals(new FormValues.Resources("acct1", "gpu", "high", 2, 1, 600), r);
    }

    @Test
    public void refusalsNameTheField() throws Exception {
        AppDefinition a = app("");
        refuses(a, Map.of(), "account: is required; one of [acct1, acct2]");
        refuses(a, Map.of("account", "other"), "account: 'other' is not one you may use");
        refuses(a, Map.of("account", "acct1", "partition", "down"), "partition: 'down' is not one you may use");
        refuses(a, Map.of("account", "acct1", "time", "121"), "time: must be between 1 and 120, was 121");
        refuses(a, Map.of("account", "acct1", "gpus", "1"), "gpus: must be between 0 and 0");
        refuses(a, Map.of("account", "acct1", "cores", "two"), "cores: must be a whole number");
        refuses(a, Map.of("account", "acct1", "partition", "gpu", "qos", "low"), "qos: 'low' is not one you may use");
        refuses(a, Map.of("account", "acct1;rm -rf /"), "account: 'acct1;rm -rf /'");
    }

    @Test
    public void reservedValuesWin() throws Exception {
        AppDefinition a = app("scheduler:\n  account: { allowed: [acct2] }\n  partition: { fixed: gpu }\n"
                + "  gpus: { fixed: 1, hidden: true }\n  cores: { max: 4 }\n");
        assertEquals(new FormValues.Resources("acct2", "gpu", null, 1, 1, 60), resolve(a, Map.of()));
        refuses(a, Map.of("account", "acct1"), "account: 'acct1' is not one you may use; one of [acct2]");
        refuses(a, Map.of("partition", "debug"), "partition: is fixed to 'gpu'");
        refuses(a, Map.of("gpus", "2"), "gpus: is fixed to '1'");
        refuses(a, Map.of("cores", "5"), "cores: must be between 1 and 4");
    }

    @Test
    public void attributesAreCheckedByType() throws Exception {
        AppDefinition a = app("attributes:\n"
                + "  - { name: dir, type: file, default: \"~\" }\n"
                + "  - { name: n, type: number, min: 1, max: 10 }\n"
                + "  - { name: v, type: select, options: [a, b], required: true }\n"
                + "  - { name: t, type: text, maxLength: 5 }\n");
        Map<String, String> v = FormValues.attributes(a, Map.of("v", "b", "n", "2.50", "t", " it's "));
        assertEquals(Map.of("dir", "~", "n", "2.5", "v", "b", "t", "it's"), v);
        assertNull(FormValues.attributes(a, Map.of("v", "a")).get("t"));
        refusesAttributes(a, Map.of(), "values.v: is required");
        refusesAttributes(a, Map.of("v", "c"), "values.v: 'c' is not one of [a, b]");
        refusesAttributes(a, Map.of("v", "a", "n", "11"), "values.n: must be between 1 and 10");
        refusesAttributes(a, Map.of("v", "a", "n", "1e999999999"), "values.n:");
        refusesAttributes(a, Map.of("v", "a", "t", "toolong"), "values.t: must be at most 5 characters");
        refusesAttributes(a, Map.of("v", "a", "t", "a\nb"), "values.t: must be one line");
        refusesAttributes(a, Map.of("v", "a", "extra", "1"), "values.extra: the app 't' has no such field");
    }

    private static void refuses(AppDefinition a, Map<String, String> values, String start) throws Exception {
        try {
            fail("accepted: " + resolve(a, values));
        } catch (FormValues.FieldException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(start));
        }
    }

    private static void refusesAttributes(AppDefinition a, Map<String, String> values, String start) {
        try {
            fail("accepted: " + FormValues.attributes(a, values));
        } catch (FormValues.FieldException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(start));
        }
    }
}
