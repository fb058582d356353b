package org.scow.management.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.persistence.EntityManagerFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.scow.management.AccountRole;
import org.scow.management.Actor;
import org.scow.management.AuditLog;
import org.scow.management.ManagementException;
import org.scow.management.Model.Account;
import org.scow.management.internal.ClusterImport.Candidate;
import org.scow.management.internal.ClusterImport.Report;
import org.scow.management.internal.ClusterImport.Selection;

/** Importing a cluster's existing accounts and users into a tenant, on an in-memory cluster. */
public class ClusterImportTest {
    private static final Actor ADMIN = new Actor("admin", "10.0.0.1");

    private EntityManagerFactory emf;
    private ManagementStore store;
    private FakeClusters clusters;
    private FakeClusters.FakeCluster hpc1;
    private ClusterImport importer;

    @Before
    public void setUp() throws Exception {
        var ds = TestDatabases.fresh("h2");
        TestDatabases.migrate(ds);
        emf = TestDatabases.emf("scow-management", ds);
        store = new ManagementStore(emf, Clock.systemUTC());
        store.bootstrap("default", "admin");
        store.createTenant(ADMIN, "physics", null);
        clusters = new FakeClusters();
        hpc1 = clusters.add("hpc1", Map.of());
        // what the cluster had before the platform
        hpc1.scheduler.createAccount("lab1", "ann");
        hpc1.scheduler.addUserToAccount("ben", "lab1");
        hpc1.scheduler.addUserToAccount("cat", "lab1");
        hpc1.scheduler.createAccount("lab2", "dan");
        importer = new ClusterImport(clusters, store, store.audit());
    }

    @After
    public void tearDown() {
        clusters.closeAll();
        emf.close();
    }

    @Test
    public void previewThenImportCreatesUsersAccountsAndMembersOnce() {
        List<Candidate> preview = importer.preview("hpc1");
        assertEquals(List.of("lab1", "lab2"), preview.stream().map(Candidate::name).toList());
        Candidate lab1 = preview.get(0);
        assertEquals(Set.of("ann", "ben", "cat"), Set.copyOf(lab1.users()));
        assertFalse(lab1.exists());

        Report r = importer.importAccounts(ADMIN, "hpc1", "physics",
                List.of(new Selection("lab1", null, true), new Selection("nolab", null, null)));
        assertEquals(List.of("lab1"), r.createdAccounts());
        assertEquals(Set.of("ann", "ben", "cat"), Set.copyOf(r.createdUsers()));
        assertEquals(Set.of("ben@lab1", "cat@lab1"), Set.copyOf(r.addedMembers()));
        assertEquals(List.of("lab1"), r.whitelisted());
        assertEquals(1, r.skipped().size());
        assertEquals("nolab", r.skipped().get(0).account());

        Account a = store.account("lab1").orElseThrow();
        assertEquals("physics", a.tenant());
        assertEquals("ann", a.owner());
        assertTrue(a.whitelisted());
        assertEquals("physics", store.user("ben").orElseThrow().tenant());
        assertTrue(importer.preview("hpc1").get(0).exists());

        Report again = importer.importAccounts(ADMIN, "hpc1", "physics", List.of(new Selection("lab1", null, true)));
        assertTrue(again.createdAccounts().isEmpty());
        assertTrue(again.createdUsers().isEmpty());
        assertTrue(again.addedMembers().isEmpty());
        assertTrue(again.whitelisted().isEmpty());
        assertEquals(2, store.audit().query(new AuditLog.Query(null, "IMPORT_FROM_CLUSTER", null, null, "SUCCESS", null,
                null, 0, 10)).size());
        assertEquals(1, store.audit().query(new AuditLog.Query(null, "CREATE_ACCOUNT", null, "lab1", null, null, null, 0,
                10)).size());
    }

    @Test
    public void ownerCanBeChosenAndOtherTenantsAreLeftAlone() {
        store.createUser(ADMIN, "dan", null, null, "default");
        Report r = importer.importAccounts(ADMIN, "hpc1", "physics", List.of(new Selection("lab2", null, false)));
        assertTrue(r.createdAccounts().isEmpty());
        assertTrue(r.skipped().get(0).reason(), r.skipped().get(0).reason().contains("default"));

        store.createUser(ADMIN, "eve", null, null, "physics");
        r = importer.importAccounts(ADMIN, "hpc1", "physics", List.of(new Selection("lab2", "eve", false)));
        assertEquals(List.of("lab2"), r.createdAccounts());
        assertEquals("eve", store.account("lab2").orElseThrow().owner());
        assertEquals("dan stays in his tenant", List.of("lab2/dan"),
                r.skipped().stream().map(s -> s.account() + "/" + s.user()).toList());
        assertFalse(store.account("lab2").orElseThrow().members().stream()
                .anyMatch(m -> m.userId().equals("dan") && m.role() != AccountRole.OWNER));
    }

    @Test
    public void badRequestsChangeNothing() {
        expect(400, () -> importer.importAccounts(ADMIN, "hpc1", "physics", List.of()));
        expect(404, () -> importer.importAccounts(ADMIN, "hpc1", "nope", List.of(new Selection("lab1", null, null))));
        expect(404, () -> importer.preview("nocluster"));
        expect(400, () -> importer.importAccounts(ADMIN, "hpc1", "physics",
                List.of(new Selection("lab1", null, null), new Selection("lab1", null, null))));
        expect(400, () -> importer.importAccounts(ADMIN, "hpc1", "physics",
                List.of(new Selection("bad name", null, null))));
        hpc1.online = false;
        expect(503, () -> importer.importAccounts(ADMIN, "hpc1", "physics", List.of(new Selection("lab1", null, null))));
        assertTrue(store.account("lab1").isEmpty());
        assertTrue(store.user("ann").isEmpty());
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
