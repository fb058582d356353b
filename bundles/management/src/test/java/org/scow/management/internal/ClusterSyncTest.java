package org.scow.management.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.persistence.EntityManagerFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.scow.management.AccountRole;
import org.scow.management.Actor;
import org.scow.management.BlockFacts;
import org.scow.management.ClusterSync;
import org.scow.management.ClusterSync.Change;
import org.scow.management.ManagementException;

/** Desired versus actual block state on in-memory clusters: repair, reports, offline clusters, whitelist. */
public class ClusterSyncTest {
    private static final Actor ADMIN = new Actor("admin", null);

    private EntityManagerFactory emf;
    private ManagementStore store;
    private FakeClusters clusters;
    private FakeClusters.FakeCluster hpc1;
    private FakeClusters.FakeCluster hpc2;
    private ClusterSyncService sync;
    private final Set<String> below = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> overLimit = new ConcurrentHashMap<>();

    @Before
    public void setUp() throws Exception {
        var ds = TestDatabases.fresh("h2");
        TestDatabases.migrate(ds);
        emf = TestDatabases.emf("scow-management", ds);
        store = new ManagementStore(emf, Clock.systemUTC());
        store.bootstrap("default", "admin");
        clusters = new FakeClusters();
        hpc1 = clusters.add("hpc1", Map.of());
        hpc2 = clusters.add("hpc2", Map.of());
        BlockFacts facts = new BlockFacts() {
            @Override
            public Set<String> belowThreshold(Map<String, String> accounts) {
                Set<String> s = new HashSet<>(below);
                s.retainAll(accounts.keySet());
                return s;
            }

            @Override
            public Map<String, Set<String>> usersOverLimit() {
                return Map.copyOf(overLimit);
            }
        };
        sync = new ClusterSyncService(clusters, store, () -> facts, Clock.systemUTC());
        store.onAccountChanged(sync::syncAccount);
        store.onMemberRemoved(sync::removeMember);
        store.createUser(ADMIN, "bob", null, null, "default");
        store.createUser(ADMIN, "carol", null, null, "default");
    }

    @After
    public void tearDown() {
        clusters.closeAll();
        emf.close();
    }

    @Test
    public void accountsAndMembersAreCreatedOnEveryOnlineCluster() throws Exception {
        store.createAccount(ADMIN, "a_bob", "default", "bob", null);
        store.addUserToAccount(ADMIN, "a_bob", "carol", AccountRole.USER);
        for (var c : List.of(hpc1, hpc2)) {
            var account = c.scheduler.allAccounts().stream().filter(a -> a.name().equals("a_bob")).findFirst()
                    .orElseThrow();
            assertEquals(Set.of("bob", "carol"), Set.copyOf(account.users().stream().map(m -> m.userId()).toList()));
            assertFalse(account.block().blocked());
        }
        store.removeUserFromAccount(ADMIN, "a_bob", "carol");
        assertEquals(List.of("a_bob"), hpc1.scheduler.listAccounts("bob"));
        assertEquals(List.of(), hpc1.scheduler.listAccounts("carol"));
        assertTrue("nothing left to repair", sync.reconcile(null).changes().isEmpty());
    }

    @Test
    public void reconciliationRepairsABlockRemovedBehindThePlatformsBack() throws Exception {
        store.createAccount(ADMIN, "a_bob", "default", "bob", null);
        store.blockAccount(ADMIN, "a_bob");
        assertTrue(hpc1.scheduler.accountBlockStatus("a_bob").blocked());
        assertTrue(hpc2.scheduler.accountBlockStatus("a_bob").blocked());

        hpc2.scheduler.unblockAccount("a_bob"); // e.g. the scheduler was restarted and lost the block
        ClusterSync.Report report = sync.reconcile(null);
        assertEquals(List.of("hpc1", "hpc2"), report.clusters());
        assertEquals(List.of(new Change("hpc2", "a_bob", null, "BLOCK_ACCOUNT", null)), report.changes());
        assertTrue(hpc2.scheduler.accountBlockStatus("a_bob").blocked());
        assertTrue("a second run finds nothing", sync.reconcile(null).changes().isEmpty());

        // an unblock done behind the platform's back on a user, too
        store.blockUser(ADMIN, "a_bob", "bob");
        hpc1.scheduler.unblockUserInAccount("bob", "a_bob");
        assertEquals(List.of(new Change("hpc1", "a_bob", "bob", "BLOCK_USER", null)),
                sync.reconcile("hpc1").changes());
        assertTrue(hpc1.scheduler.isUserBlockedInAccount("bob", "a_bob"));
    }

    @Test
    public void balanceBlocksUnlessWhitelistedAndUsersOverLimitAreBlocked() throws Exception {
        store.createAccount(ADMIN, "a_bob", "default", "bob", null);
        below.add("a_bob");
        sync.syncAccount("a_bob");
        assertTrue(hpc1.scheduler.accountBlockStatus("a_bob").blocked());

        store.whitelist(ADMIN, "a_bob", null, "pays by invoice");
        assertFalse("whitelisted: not blocked for its balance", hpc1.scheduler.accountBlockStatus("a_bob").blocked());
        store.blockAccount(ADMIN, "a_bob");
        assertTrue("a manual block wins over the whitelist", hpc1.scheduler.accountBlockStatus("a_bob").blocked());
        store.unblockAccount(ADMIN, "a_bob");
        store.dewhitelist(ADMIN, "a_bob");
        assertTrue(hpc1.scheduler.accountBlockStatus("a_bob").blocked());
        below.remove("a_bob");
        sync.syncAccount("a_bob");
        assertFalse(hpc2.scheduler.accountBlockStatus("a_bob").blocked());

        overLimit.put("a_bob", Set.of("bob"));
        sync.syncAccount("a_bob");
        assertTrue(hpc2.scheduler.isUserBlockedInAccount("bob", "a_bob"));
        overLimit.clear();
        sync.syncAccount("a_bob");
        assertFalse(hpc2.scheduler.isUserBlockedInAccount("bob", "a_bob"));
    }

    @Test
    public void anOfflineClusterGetsTheChangeWhenItComesBack() throws Exception {
        store.createAccount(ADMIN, "a_bob", "default", "bob", null);
        hpc2.online = false;
        store.blockAccount(ADMIN, "a_bob");
        assertFalse(hpc2.scheduler.accountBlockStatus("a_bob").blocked());
        ClusterSync.Report whileOffline = sync.reconcile(null);
        assertEquals(List.of("hpc2"), whileOffline.offline());

        hpc2.online = true; // what the ONLINE event handler does: reconcile that cluster
        ClusterSync.Report back = sync.reconcile("hpc2");
        assertEquals(List.of(new Change("hpc2", "a_bob", null, "BLOCK_ACCOUNT", null)), back.changes());
        assertTrue(hpc2.scheduler.accountBlockStatus("a_bob").blocked());
    }

    @Test
    public void anAccountMissingOnAClusterIsCreatedThere() throws Exception {
        hpc1.online = false;
        store.createAccount(ADMIN, "a_bob", "default", "bob", null);
        hpc1.online = true;
        ClusterSync.Report r = sync.reconcile("hpc1");
        assertEquals(List.of(new Change("hpc1", "a_bob", null, "CREATE_ACCOUNT", null)), r.changes());
        assertEquals(List.of("a_bob"), hpc1.scheduler.listAccounts("bob"));
        assertEquals(404, ManagementStoreTest.expect(404, () -> sync.reconcile("nope")).status());
    }
}
