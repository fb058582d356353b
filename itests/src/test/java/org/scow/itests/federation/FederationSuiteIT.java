package org.scow.itests.federation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.ClassRule;
import org.junit.rules.ExternalResource;
import org.junit.runner.RunWith;
import org.junit.runners.Suite;

/**
 * Two real centers, A and B, each a Karaf process of the distribution on ports of its own (A: 28181/28101, B:
 * 28281/28201), peered with each other. B has an in-memory cluster {@code b1} and grants A two things on it: accounts
 * {@code ct*} (the contract suite's) as {@code fa-ct*}, and account {@code proj} as {@code fa-proj}; A's users alice
 * and bob run as B's fa-alice and fa-bob. A has its own in-memory cluster {@code a1} and B's b1 as cluster
 * {@code fedb} (driver remote). Both are stopped when the suite ends, whatever happened.
 */
@RunWith(Suite.class)
@Suite.SuiteClasses({RemoteDriverContract.class, FederationEndToEnd.class, RemoteDriverHotSwap.class})
public class FederationSuiteIT {
    static final String PASSWORD = "fed-Admin-1234";
    static CenterProcess a;
    static CenterProcess b;
    static Api apiA;
    static Api apiB;

    @ClassRule
    public static final ExternalResource CENTERS = new ExternalResource() {
        @Override
        protected void before() throws Throwable {
            try {
                startCenters();
            } catch (Throwable t) {
                after(); // JUnit calls after() only when before() succeeded: never leave the centers running
                throw t;
            }
        }

        private void startCenters() throws Throwable {
            Path work = Path.of("target", "federation").toAbsolutePath();
            a = new CenterProcess("a", 28100, work);
            b = new CenterProcess("b", 28200, work);
            a.trust(b);
            b.trust(a);
            b.config("org.scow.cluster-b1", Map.of("id", "b1", "displayName", "B's cluster", "driver", "test",
                    "driver.jobDurationMs", "300"));
            a.config("org.scow.cluster-a1", Map.of("id", "a1", "displayName", "A's cluster", "driver", "test",
                    "driver.jobDurationMs", "300"));
            a.config("org.scow.cluster-fedb", Map.of("id", "fedb", "displayName", "B's cluster b1, from A",
                    "driver", "remote", "driver.peer", "b", "driver.cluster", "b1"));
            // settlement passes run on demand in the test, not under it
            a.config("org.scow.federation", Map.of("centerId", "a", "centerName", "Center A", "url", a.url(),
                    "probeIntervalSeconds", "2", "settleIntervalSeconds", "3600"));
            b.config("org.scow.federation", Map.of("centerId", "b", "centerName", "Center B", "url", b.url(),
                    "probeIntervalSeconds", "2", "settleIntervalSeconds", "3600"));
            b.start(PASSWORD, "scow-federation", "scow-scheduler-test");
            a.start(PASSWORD, "scow-federation", "scow-scheduler-remote", "scow-scheduler-test");
            apiA = new Api(a.url());
            apiB = new Api(b.url());
            Duration boot = Duration.ofMinutes(5);
            Api.await("B signs in its admin", boot, () -> b.alive() && apiB.login("admin", PASSWORD));
            Api.await("A signs in its admin", boot, () -> a.alive() && apiA.login("admin", PASSWORD));
            Api.await("B's cluster b1 online", boot, () -> apiB.get("/api/v1/clusters/b1").json()
                    .path("online").asBoolean());
            Api.await("B's federation endpoints", boot, () -> apiB.get("/api/v1/federation/grants").status() == 200);
            grant(Map.of("peer", "a", "cluster", "b1", "peerAccount", "ct*", "localAccount", "fa-ct*",
                    "users", Map.of("alice", "fa-alice", "bob", "fa-bob"), "creditLimit", 100));
            grant(Map.of("peer", "a", "cluster", "b1", "peerAccount", "proj", "localAccount", "fa-proj",
                    "users", Map.of("alice", "fa-alice"), "creditLimit", "250.50"));
            grant(Map.of("peer", "a", "cluster", "b1", "peerAccount", "physics", "localAccount", "fa-physics",
                    "users", Map.of("alice", "fa-alice"), "creditLimit", "10"));
            Api.await("A's cluster fedb online", boot, () -> apiA.get("/api/v1/clusters/fedb").json()
                    .path("online").asBoolean());
        }

        private void grant(Map<String, Object> g) throws Exception {
            // boot-time feature installation may refresh the federation bundle once more after its endpoints first
            // answered: while it restarts the endpoint is briefly gone (404), so wait for the grant, not for a time
            Api.Reply[] last = new Api.Reply[1];
            Api.await("grant " + g + " created", Duration.ofMinutes(2), () -> {
                last[0] = apiB.post("/api/v1/federation/grants", g);
                if (last[0].status() != 201 && last[0].status() != 404) {
                    throw new AssertionError("grant " + g + ": " + last[0]);
                }
                return last[0].status() == 201;
            });
        }

        @Override
        protected void after() {
            for (CenterProcess c : List.of(a, b)) {
                try {
                    if (c != null) {
                        c.stop();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    };
}
