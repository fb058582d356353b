package org.scow.management.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.scow.api.security.Role;
import org.scow.api.security.UserRoles;
import org.scow.management.AccountRole;
import org.scow.management.Actor;
import org.scow.management.AuditLog;
import org.scow.management.ManagementException;
import org.scow.management.Model.Account;
import org.scow.persistence.internal.SchemaMigrator;

/** The management model on the real changelog and persistence unit, on each supported database. */
@RunWith(Parameterized.class)
public class ManagementStoreTest {
    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.selected();
    }

    private static final Actor ALICE = new Actor("alice", "10.0.0.7");

    private final String product;
    private DataSource ds;
    private EntityManagerFactory emf;
    private ManagementStore store;
    private JpaRoleDirectory roles;
    private final List<String> changed = new ArrayList<>();

    public ManagementStoreTest(String product) {
        this.product = product;
    }

    @Before
    public void setUp() throws Exception {
        ds = TestDatabases.fresh(product);
        TestDatabases.migrate(ds);
        emf = TestDatabases.emf("scow-management", ds);
        store = new ManagementStore(emf, Clock.systemUTC());
        roles = new JpaRoleDirectory(emf);
        store.onAccountChanged(changed::add);
        store.bootstrap("default", "admin");
    }

    @After
    public void tearDown() {
        if (emf != null) {
            emf.close();
        }
    }

    @Test
    public void migrationIsIdempotentAndBootstrapHappensOnce() throws Exception {
        SchemaMigrator again = new SchemaMigrator(ds);
        List<String> applied = again.migrate(ManagementComponent.CHANGELOG, getClass().getClassLoader());
        assertTrue(applied.contains("management-001-model"));
        assertEquals(applied, again.migrate(ManagementComponent.CHANGELOG, getClass().getClassLoader()));
        store.bootstrap("default", "admin");
        store.bootstrap("other", "root");
        assertEquals(List.of("default"), store.tenants().stream().map(t -> t.name()).toList());
        assertEquals(Set.of(Role.PLATFORM_ADMIN), store.user("admin").orElseThrow().roles());
        assertTrue("root was not created: a platform admin exists", store.user("root").isEmpty());
    }

    @Test
    public void tenantsUsersAccountsAndRoles() {
        store.createTenant(ALICE, "physics", null);
        store.createUser(ALICE, "bob", "Bob", "bob@example.org", "physics");
        store.createUser(ALICE, "carol", null, null, "physics");
        Account a = store.createAccount(ALICE, "a_bob", "physics", "bob", "Bob's group");
        assertEquals("bob", a.owner());
        assertEquals("physics", a.tenant());
        store.addUserToAccount(ALICE, "a_bob", "carol", AccountRole.ADMIN);
        store.setAccountRole(ALICE, "a_bob", "carol", AccountRole.USER);
        store.setRole(ALICE, "carol", Role.TENANT_FINANCE);
        store.setRole(ALICE, "carol", Role.PLATFORM_FINANCE);
        store.setRole(ALICE, "carol", Role.PLATFORM_FINANCE);

        UserRoles carol = roles.rolesOf("carol").orElseThrow();
        assertEquals("physics", carol.tenant());
        assertEquals(Set.of(Role.PLATFORM_FINANCE), carol.platform());
        assertEquals(Set.of(Role.TENANT_FINANCE), carol.tenantRoles());
        assertEquals(Map.of("a_bob", Role.ACCOUNT_USER), carol.accounts());
        assertTrue(roles.rolesOf("bob").orElseThrow().inAccount("a_bob", Role.ACCOUNT_OWNER));
        assertTrue(roles.rolesOf("nobody").isEmpty());
        assertEquals("physics", roles.tenantOfAccount("a_bob").orElseThrow());
        assertTrue(roles.tenantOfAccount("nope").isEmpty());

        store.unsetRole(ALICE, "carol", Role.PLATFORM_FINANCE);
        assertEquals(Set.of(Role.TENANT_FINANCE), store.user("carol").orElseThrow().roles());

        // a member cannot change tenant; once removed they can, and lose their tenant roles
        expect(409, () -> store.changeTenant(ALICE, "carol", "default"));
        store.removeUserFromAccount(ALICE, "a_bob", "carol");
        assertEquals("default", store.changeTenant(ALICE, "carol", "default").tenant());
        assertEquals(Set.of(), store.user("carol").orElseThrow().roles());
        assertEquals(List.of("a_bob", "a_bob", "a_bob"), changed);

        // a new tenant with an existing user as its admin
        store.createTenant(ALICE, "chemistry", "carol");
        UserRoles moved = roles.rolesOf("carol").orElseThrow();
        assertEquals("chemistry", moved.tenant());
        assertEquals(Set.of(Role.TENANT_ADMIN), moved.tenantRoles());
        assertEquals(List.of("bob"), store.users("physics").stream().map(u -> u.userId()).toList());
        assertEquals(1, store.accounts("physics").size());
        assertEquals(0, store.accounts("chemistry").size());
    }

    @Test
    public void whitelistAndManualBlocks() {
        store.createUser(ALICE, "bob", null, null, "default");
        store.createAccount(ALICE, "a_bob", "default", "bob", null);
        Instant later = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS);
        Account w = store.whitelist(ALICE, "a_bob", later, "grant pending");
        assertTrue(w.whitelisted());
        assertEquals(later, w.whitelistExpiresAt());
        // the same store seen two days later: the whitelist has expired
        ManagementStore future = new ManagementStore(emf, Clock.fixed(later.plus(1, ChronoUnit.DAYS), ZoneOffset.UTC));
        assertFalse(future.account("a_bob").orElseThrow().whitelisted());
        assertFalse(store.dewhitelist(ALICE, "a_bob").whitelisted());

        assertTrue(store.blockAccount(ALICE, "a_bob").blockedByAdmin());
        assertFalse(store.unblockAccount(ALICE, "a_bob").blockedByAdmin());
        assertTrue(store.blockUser(ALICE, "a_bob", "bob").blockedByAdmin());
        assertFalse(store.unblockUser(ALICE, "a_bob", "bob").blockedByAdmin());
        expect(400, () -> store.whitelist(ALICE, "a_bob", Instant.now().minusSeconds(5), null));
    }

    @Test
    public void invalidInputIsRefusedChangesNothingAndIsAudited() {
        store.createUser(ALICE, "bob", null, null, "default");
        store.createAccount(ALICE, "a_bob", "default", "bob", null);
        int tenants = store.tenants().size();
        int users = store.users(null).size();

        assertEquals("ALREADY_EXISTS", expect(409, () -> store.createTenant(ALICE, "default", null)).code());
        assertEquals("ALREADY_EXISTS", expect(409, () -> store.createUser(ALICE, "bob", null, null, "default")).code());
        assertEquals("ALREADY_EXISTS",
                expect(409, () -> store.createAccount(ALICE, "a_bob", "default", "bob", null)).code());
        assertEquals("TENANT_NOT_FOUND", expect(404, () -> store.createUser(ALICE, "eve", null, null, "nope")).code());
        assertEquals("USER_NOT_FOUND",
                expect(404, () -> store.createAccount(ALICE, "a_x", "default", "ghost", null)).code());
        assertEquals("ACCOUNT_NOT_FOUND",
                expect(404, () -> store.addUserToAccount(ALICE, "nope", "bob", null)).code());
        assertEquals("USER_NOT_FOUND", expect(404, () -> store.createTenant(ALICE, "t2", "ghost")).code());
        assertEquals("name", expect(400, () -> store.createTenant(ALICE, "bad name", null)).details().get("field"));
        assertEquals("userId", expect(400, () -> store.createUser(ALICE, "-x", null, null, "default"))
                .details().get("field"));
        expect(400, () -> store.createUser(ALICE, "eve", null, "not-an-email", "default"));
        expect(400, () -> store.setRole(ALICE, "bob", Role.ACCOUNT_ADMIN));
        expect(400, () -> store.addUserToAccount(ALICE, "a_bob", "bob", AccountRole.OWNER));
        expect(409, () -> store.removeUserFromAccount(ALICE, "a_bob", "bob"));
        assertEquals("USER_NOT_IN_ACCOUNT", expect(404, () -> store.blockUser(ALICE, "a_bob", "admin")).code());

        assertEquals("a failed tenant creation with an unknown admin left no tenant", tenants, store.tenants().size());
        assertTrue(store.tenant("t2").isEmpty());
        assertEquals(users, store.users(null).size());
        assertEquals(1, store.account("a_bob").orElseThrow().members().size());

        List<AuditLog.Entry> failures = store.audit().query(new AuditLog.Query("alice", null, null, null, "FAILURE", null,
                null, 0, 100));
        assertTrue("every refusal is audited: " + failures.size(), failures.size() >= 12);
        AuditLog.Entry dup = store.audit().query(new AuditLog.Query(null, "CREATE_USER", null, "bob", "FAILURE", null, null,
                0, 10)).get(0);
        assertEquals("10.0.0.7", dup.sourceIp());
        assertTrue(dup.message(), dup.message().contains("already exists"));
        assertTrue(dup.parameters(), dup.parameters().contains("tenant=default"));
    }

    @Test
    public void auditLogIsQueryableByFiltersAndTime() {
        Instant before = Instant.now();
        store.createUser(ALICE, "bob", null, null, "default");
        store.createUser(new Actor("dave", null), "erin", null, null, "default");
        Instant after = Instant.now().plusSeconds(1);
        List<AuditLog.Entry> all = store.audit().query(new AuditLog.Query(null, "CREATE_USER", null, null, "SUCCESS", before,
                after, 0, 100));
        assertEquals(2, all.size());
        assertEquals("newest first", "erin", all.get(0).target());
        assertEquals("dave", all.get(0).actor());
        assertEquals(1, store.audit().query(new AuditLog.Query("alice", null, "USER", null, null, null, null, 0, 100)).size());
        assertEquals(0, store.audit().query(new AuditLog.Query(null, null, null, null, null, after, null, 0, 100)).size());
        assertEquals(1, store.audit().query(new AuditLog.Query(null, "CREATE_USER", null, null, null, null, null, 1, 1))
                .size());
        assertEquals("from", expect(400, () -> new AuditLog.Query(null, null, null, null, null, after, before, 0, 10))
                .details().get("field"));
        expect(400, () -> new AuditLog.Query(null, null, null, null, null, null, null, 0, 0));
        // bootstrap was audited as the system
        assertFalse(store.audit().query(new AuditLog.Query("system", "CREATE_TENANT", null, "default", "SUCCESS", null, null,
                0, 10)).isEmpty());
    }

    static ManagementException expect(int status, Runnable r) {
        try {
            r.run();
        } catch (ManagementException e) {
            assertEquals(e.getMessage(), status, e.status());
            return e;
        }
        fail("expected a refusal with status " + status);
        return null;
    }
}
