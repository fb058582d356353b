package org.scow.auth.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.Serializable;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.apache.shiro.session.Session;
import org.apache.shiro.session.mgt.SimpleSession;
import org.apache.shiro.subject.PrincipalCollection;
import org.apache.shiro.subject.SimplePrincipalCollection;
import org.apache.shiro.subject.support.DefaultSubjectContext;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

/** Sessions written by one platform node are read by another (two DAOs over one database), on every database. */
@RunWith(Parameterized.class)
public class DatabaseSessionDAOTest {
    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.selected();
    }

    private final String product;
    private EntityManagerFactory emf;
    private AuthStore store;

    public DatabaseSessionDAOTest(String product) {
        this.product = product;
    }

    @Before
    public void setUp() throws Exception {
        DataSource ds = TestDatabases.fresh(product);
        TestDatabases.migrate(ds);
        emf = TestDatabases.emf("scow-auth", ds);
        store = new AuthStore(emf, Clock.systemUTC());
    }

    @After
    public void tearDown() {
        emf.close();
    }

    private static SimpleSession signedIn(String user, Set<String> groups) {
        SimpleSession s = new SimpleSession("10.0.0.7");
        s.setTimeout(1_800_000);
        SimplePrincipalCollection pc = new SimplePrincipalCollection(user, "realm");
        pc.add(new AuthService.GroupSet(groups), "realm");
        s.setAttribute(DefaultSubjectContext.PRINCIPALS_SESSION_KEY, pc);
        s.setAttribute(DefaultSubjectContext.AUTHENTICATED_SESSION_KEY, Boolean.TRUE);
        s.setAttribute("scow.csrf", "csrf-123");
        return s;
    }

    @Test
    public void anotherNodeSeesTheSessionWithUserGroupsAndCsrf() {
        DatabaseSessionDAO node1 = new DatabaseSessionDAO(store, "scow.csrf");
        DatabaseSessionDAO node2 = new DatabaseSessionDAO(store, "scow.csrf");
        SimpleSession s = signedIn("alice", Set.of("platform-admin", "cn=hpc,ou=groups"));
        Serializable id = node1.create(s);
        node1.update(s);

        Session read = node2.readSession(id);
        PrincipalCollection pc = (PrincipalCollection) read.getAttribute(DefaultSubjectContext.PRINCIPALS_SESSION_KEY);
        assertEquals("alice", pc.getPrimaryPrincipal());
        assertEquals(Set.of("platform-admin", "cn=hpc,ou=groups"), pc.oneByType(AuthService.GroupSet.class));
        assertEquals("csrf-123", read.getAttribute("scow.csrf"));
        assertEquals(Boolean.TRUE, read.getAttribute(DefaultSubjectContext.AUTHENTICATED_SESSION_KEY));
        assertEquals(1_800_000, read.getTimeout());
        assertEquals("10.0.0.7", read.getHost());
        assertEquals(1, node2.getActiveSessions().size());
    }

    @Test
    public void touchesAreWrittenAtMostOncePerIntervalAndStopDeletes() {
        DatabaseSessionDAO dao = new DatabaseSessionDAO(store, "scow.csrf");
        SimpleSession s = signedIn("bob", Set.of());
        Serializable id = dao.create(s);
        dao.update(s);
        Instant stored = store.session(id.toString()).orElseThrow().lastAccessAt();

        s.setLastAccessTime(java.util.Date.from(stored.plusSeconds(10)));
        dao.update(s);
        assertEquals("a touch 10 s later is not written", stored, store.session(id.toString()).orElseThrow().lastAccessAt());

        Instant later = stored.plus(DatabaseSessionDAO.TOUCH_WRITE_INTERVAL).plusSeconds(1);
        s.setLastAccessTime(java.util.Date.from(later));
        dao.update(s);
        assertEquals(later.toEpochMilli(), store.session(id.toString()).orElseThrow().lastAccessAt().toEpochMilli());

        s.setAttribute("scow.csrf", "rotated");
        dao.update(s);
        assertEquals("a changed attribute is written at once", "rotated",
                store.session(id.toString()).orElseThrow().csrfToken());

        s.stop();
        dao.update(s);
        assertTrue(store.session(id.toString()).isEmpty());
        assertNull(dao.readSessionOrNull(id));
    }

    @Test
    public void idleSessionsAreDeleted() {
        DatabaseSessionDAO dao = new DatabaseSessionDAO(store, "scow.csrf");
        Serializable id = dao.create(signedIn("carol", Set.of()));
        assertNotNull(store.session(id.toString()).orElse(null));
        assertEquals(1, store.deleteSessionsIdleSince(Instant.now().plusSeconds(1)));
        assertTrue(store.session(id.toString()).isEmpty());
    }
}
