package org.scow.auth.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.apache.shiro.authc.credential.DefaultPasswordService;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.scow.api.auth.AuthException;
import org.scow.api.auth.NewUser;

/** Credentials, tokens and the login audit on H2, PostgreSQL and MariaDB; hashing with Shiro's argon2id. */
@RunWith(Parameterized.class)
public class AuthStoreTest {
    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.selected();
    }

    private final String product;
    private EntityManagerFactory emf;
    private AuthStore store;
    private BuiltinAuthBackend builtin;

    public AuthStoreTest(String product) {
        this.product = product;
    }

    @Before
    public void setUp() throws Exception {
        DataSource ds = TestDatabases.fresh(product);
        TestDatabases.migrate(ds);
        emf = TestDatabases.emf("scow-auth", ds);
        store = new AuthStore(emf, Clock.systemUTC());
        builtin = new BuiltinAuthBackend(store, new DefaultPasswordService(), new PasswordPolicy(null, null));
    }

    @After
    public void tearDown() {
        emf.close();
    }

    @Test
    public void passwordsAreStoredAsArgon2idHashesAndChecked() throws Exception {
        builtin.createUser(new NewUser("alice", null, null, "correct1horse".toCharArray()));
        String hash = store.passwordHash("alice").orElseThrow();
        assertTrue(hash, hash.contains("argon2id"));
        assertFalse(hash.contains("correct1horse"));
        assertTrue(builtin.authenticate("alice", "correct1horse".toCharArray()).isPresent());
        assertTrue(builtin.authenticate("alice", "wrong1horse".toCharArray()).isEmpty());
        assertTrue(builtin.authenticate("nobody", "correct1horse".toCharArray()).isEmpty());
        assertTrue(builtin.authenticate("x' OR '1'='1", "correct1horse".toCharArray()).isEmpty());
        assertTrue(builtin.authenticate("*)(uid=*", "correct1horse".toCharArray()).isEmpty());
    }

    @Test
    public void changeAndResetFollowThePolicy() throws Exception {
        builtin.createUser(new NewUser("bob", null, null, "first1password".toCharArray()));
        try {
            builtin.changePassword("bob", "wrong1password".toCharArray(), "second1password".toCharArray());
            fail();
        } catch (AuthException e) {
            assertEquals(AuthException.Reason.BAD_PASSWORD, e.reason());
        }
        try {
            builtin.changePassword("bob", "first1password".toCharArray(), "short".toCharArray());
            fail();
        } catch (AuthException e) {
            assertEquals(AuthException.Reason.BAD_PASSWORD, e.reason());
        }
        builtin.changePassword("bob", "first1password".toCharArray(), "second1password".toCharArray());
        assertTrue(builtin.authenticate("bob", "second1password".toCharArray()).isPresent());
        builtin.resetPassword("bob", "third1password".toCharArray());
        assertTrue(builtin.authenticate("bob", "third1password".toCharArray()).isPresent());
        assertTrue(builtin.authenticate("bob", "second1password".toCharArray()).isEmpty());
        try {
            builtin.createUser(new NewUser("bob", null, null, "another1password".toCharArray()));
            fail();
        } catch (AuthException e) {
            assertEquals(AuthException.Reason.ALREADY_EXISTS, e.reason());
        }
    }

    @Test
    public void initialAdminGetsTheGivenOrAGeneratedOneTimePassword() throws Exception {
        Path dir = Files.createTempDirectory("scow-auth");
        Path file = dir.resolve("scow/initial-admin-password");
        String generated = builtin.initialAdmin("admin", null, file);
        assertNotNull(generated);
        assertEquals(generated, Files.readString(file).trim());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(builtin.authenticate("admin", generated.toCharArray()).isPresent());
        assertNull("only on first start", builtin.initialAdmin("admin", "given1password", file));
        assertNull(builtin.initialAdmin("root", "given1password", file));
        assertTrue(builtin.authenticate("root", "given1password".toCharArray()).isPresent());
    }

    @Test
    public void tokensAreFoundByHashUntilExpiredOrRevoked() {
        String raw = Secrets.newToken();
        Instant now = Instant.now();
        AuthStore.Token t = store.createToken(Secrets.sha256(raw), "ci", "alice", "read", "admin",
                now.plus(Duration.ofDays(1)));
        assertTrue(store.useToken(Secrets.sha256(raw)).isPresent());
        assertNotNull(store.token(t.id()).orElseThrow().lastUsedAt());
        assertTrue(store.useToken(Secrets.sha256(Secrets.newToken())).isEmpty());
        assertEquals(1, store.tokens("alice").size());
        assertEquals(0, store.tokens("bob").size());
        store.revoke(t.id());
        assertTrue(store.useToken(Secrets.sha256(raw)).isEmpty());

        String old = Secrets.newToken();
        store.createToken(Secrets.sha256(old), "old", "alice", "write", "alice", now.minusSeconds(1));
        assertTrue("expired", store.useToken(Secrets.sha256(old)).isEmpty());
    }

    @Test
    public void loginAuditKeepsEvents() {
        store.audit("LOGIN_FAILURE", "alice", "10.0.0.1", null);
        store.audit("LOGIN_SUCCESS", "alice", "10.0.0.1", null);
        store.audit("TOKEN_USE", "bob", null, "token 1");
        List<AuthStore.AuditEntry> a = store.audit("alice", 10);
        assertEquals(2, a.size());
        assertEquals("LOGIN_SUCCESS", a.get(0).event());
        assertEquals(3, store.audit(null, 10).size());
    }
}
