package org.scow.federation.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.scow.federation.FederationAudit;
import org.scow.federation.Grant;
import org.scow.persistence.internal.SchemaMigrator;
import org.scow.persistence.testing.TestDatabases;

/** Grants and audit on a migrated database: they survive a new persistence unit (a restart). */
@RunWith(Parameterized.class)
public class FederationStoreTest {
    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.selected();
    }

    private final String product;
    private DataSource ds;
    private EntityManagerFactory emf;
    private FederationStore store;

    public FederationStoreTest(String product) {
        this.product = product;
    }

    @Before
    public void setUp() throws Exception {
        ds = TestDatabases.fresh(product, "scow_test_fed");
        new SchemaMigrator(ds).migrate(FederationComponent.CHANGELOG, FederationComponent.class.getClassLoader());
        emf = TestDatabases.emf("scow-federation", ds);
        store = new FederationStore(emf, Clock.systemUTC());
    }

    @After
    public void tearDown() {
        emf.close();
    }

    private static Grant grant(String peerAccount, String local) {
        return new Grant(null, "a", "b1", peerAccount, local, Map.of("alice", "fa-alice"),
                new BigDecimal("1234.5678"), false, "for project 7", null);
    }

    @Test
    public void grantsPersistExactlyAndSurviveARestart() {
        Grant saved = store.createGrant(grant("proj", "fa-proj"));
        emf.close();
        emf = TestDatabases.emf("scow-federation", ds);
        store = new FederationStore(emf, Clock.systemUTC());
        Grant read = store.grant(saved.id()).orElseThrow();
        assertEquals(0, new BigDecimal("1234.5678").compareTo(read.creditLimit()));
        assertEquals(Map.of("alice", "fa-alice"), read.users());
        assertEquals("fa-proj", read.localAccount());
        assertTrue(store.setBlocked(saved.id(), true).orElseThrow().blocked());
        assertTrue(store.grants("a").get(0).blocked());
        assertEquals(List.of(), store.grants("z"));
        assertTrue(store.deleteGrant(saved.id()));
        assertFalse(store.deleteGrant(saved.id()));
    }

    @Test
    public void aSecondGrantForTheSameAccountIsRefused() {
        store.createGrant(grant("proj", "fa-proj"));
        try {
            store.createGrant(grant("proj", "fa-other"));
            fail("duplicate grant accepted");
        } catch (FederationStore.DuplicateGrant e) {
            assertTrue(e.getMessage().startsWith("peerAccount:"));
        }
    }

    @Test
    public void auditKeepsEveryCallNewestFirst() {
        for (int i = 0; i < 3; i++) {
            store.record(new FederationAudit.Entry(null, Instant.now(), FederationAudit.Direction.IN, "a", "alice",
                    "POST", "/api/v1/federation/peer/clusters/b1/jobs", 201, i, null));
        }
        store.record(new FederationAudit.Entry(null, null, FederationAudit.Direction.OUT, "b", "-center-", "GET",
                "/x".repeat(800), 0, 5, "unreachable"));
        List<FederationAudit.Entry> a = store.recent("a", 10);
        assertEquals(3, a.size());
        assertEquals(2, a.get(0).durationMs());
        assertEquals(1000, store.recent("b", 1).get(0).path().length());
    }
}
