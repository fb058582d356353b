package org.scow.management.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

import java.time.Clock;
import java.util.List;
import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.scow.management.ManagementException;
import org.scow.management.internal.JobTemplateStore.Spec;
import org.scow.management.internal.JobTemplateStore.Template;

/** Job templates on the real changelog and persistence unit, on each supported database. */
@RunWith(Parameterized.class)
public class JobTemplateStoreTest {
    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.selected();
    }

    private final String product;
    private EntityManagerFactory emf;
    private JobTemplateStore store;

    public JobTemplateStoreTest(String product) {
        this.product = product;
    }

    @Before
    public void setUp() throws Exception {
        DataSource ds = TestDatabases.fresh(product, "scow_test_templates");
        TestDatabases.migrate(ds);
        emf = TestDatabases.emf("scow-management", ds);
        store = new JobTemplateStore(emf, Clock.systemUTC());
    }

    @After
    public void tearDown() {
        emf.close();
    }

    private static Spec spec(String script) {
        return new Spec("hello", "a1", "cpu", null, 1, 2, 0, 1024L, 30L, script, "/home/alice", "out-%j.txt", null);
    }

    @Test
    public void savesListsUpdatesAndDeletesOwnTemplates() {
        String bigScript = "#!/bin/bash\n" + "echo 'é'\n".repeat(80_000); // ~0.8 MiB, multi-byte
        Template t = store.create("alice", "nightly", "hpc1", spec(bigScript));
        store.create("alice", "another", "hpc1", null);
        store.create("bob", "nightly", "hpc1", spec("echo bob"));

        List<Template> mine = store.list("alice");
        assertEquals(List.of("another", "nightly"), mine.stream().map(Template::name).toList());
        Template read = store.get("alice", t.id());
        assertEquals(bigScript, read.spec().script());
        assertEquals(Integer.valueOf(2), read.spec().coresPerNode());
        assertEquals(Long.valueOf(1024), read.spec().memoryMbPerNode());
        assertNull(mine.get(0).spec().script());

        Template renamed = store.update("alice", t.id(), "weekly", null, null);
        assertEquals("weekly", renamed.name());
        assertEquals(bigScript, renamed.spec().script());
        Template changed = store.update("alice", t.id(), null, "hpc2", spec("echo changed"));
        assertEquals("hpc2", changed.cluster());
        assertEquals("echo changed", changed.spec().script());
        assertEquals("weekly", changed.name());

        store.delete("alice", t.id());
        assertEquals(List.of("another"), store.list("alice").stream().map(Template::name).toList());
        assertEquals(1, store.list("bob").size());
    }

    @Test
    public void anotherUsersTemplateDoesNotExistForTheCaller() {
        Template bobs = store.create("bob", "mine", "hpc1", spec("echo"));
        expect(404, () -> store.get("alice", bobs.id()));
        expect(404, () -> store.update("alice", bobs.id(), "stolen", null, null));
        expect(404, () -> store.delete("alice", bobs.id()));
        assertEquals("mine", store.get("bob", bobs.id()).name());
    }

    @Test
    public void namesAreUniquePerUserAndBadInputChangesNothing() {
        Template t = store.create("alice", "one", "hpc1", null);
        store.create("alice", "two", "hpc1", null);
        expect(409, () -> store.create("alice", "one", "hpc1", null));
        expect(409, () -> store.update("alice", t.id(), "two", null, null));
        expect(400, () -> store.create("alice", " ", "hpc1", null));
        expect(400, () -> store.create("alice", "x".repeat(101), "hpc1", null));
        expect(400, () -> store.create("alice", "bad cluster", "no such/cluster", null));
        expect(400, () -> store.create("alice", "big", "hpc1", spec("x".repeat(1024 * 1024 + 1))));
        expect(400, () -> store.create("alice", "nodes", "hpc1",
                new Spec(null, null, null, null, 0, null, null, null, null, null, null, null, null)));
        expect(400, () -> store.create("alice", "dir", "hpc1",
                new Spec(null, null, null, null, null, null, null, null, null, null, "relative", null, null)));
        expect(400, () -> store.create("alice", "acct", "hpc1",
                new Spec(null, "a b", null, null, null, null, null, null, null, null, null, null, null)));
        expect(400, () -> store.update("alice", t.id(), null, null, spec("x".repeat(1024 * 1024 + 1))));
        expect(401, () -> store.list(null));
        assertEquals(List.of("one", "two"), store.list("alice").stream().map(Template::name).toList());
        assertNull(store.get("alice", t.id()).spec().script());
    }

    private static void expect(int status, Runnable r) {
        try {
            r.run();
            fail("expected " + status);
        } catch (ManagementException e) {
            assertEquals(e.getMessage(), status, e.status());
        }
    }
}
