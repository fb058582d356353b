package org.scow.crane.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.scow.crane.protocol.JobUserPolicy;
import org.scow.crane.protocol.Credential;
import org.scow.crane.protocol.CredentialSocket;
import org.scow.crane.protocol.Credential.InvalidCredentialException;

/**
 * The local credential service with real Unix users: each caller gets a credential for the uid the kernel reports,
 * whatever it sends; system accounts get none. Callers run as alice, bob and daemon through setpriv (the tests run
 * as root, like the executor's tests).
 */
public class CredentialServiceTest {
    private final byte[] key = new byte[32];
    private Path dir;
    private Path socket;
    private CredentialService service;

    @Before
    public void setUp() throws Exception {
        assertTrue("needs root to act as other users", "root".equals(System.getProperty("user.name")));
        new SecureRandom().nextBytes(key);
        // the callers are other users: the directory must be searchable by them (createTempDirectory makes 0700)
        dir = Files.createTempDirectory(Path.of("/tmp"), "crane-credsvc");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        socket = dir.resolve("auth.sock");
        JobUserPolicy policy = JobUserPolicy.of(1000, Set.of("root", "nobody"), Set.of(), false);
        service = CredentialService.start(socket, policy, Duration.ofHours(1),
                (user, ttl) -> new Credential(Credential.Scope.USER, user,
                        System.currentTimeMillis() / 1000 + ttl.toSeconds()).sign(key));
    }

    @After
    public void tearDown() throws IOException {
        if (service != null) service.close();
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    public void eachUserGetsACredentialForThemselvesOnly() throws Exception {
        assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        long now = System.currentTimeMillis() / 1000;
        Credential alice = Credential.verify(fetchAs("alice"), key, now);
        assertEquals(Credential.Scope.USER, alice.scope());
        assertEquals("alice", alice.principal());
        assertTrue("short-lived: about an hour, was " + (alice.expiresEpochSec() - now) + " s",
                alice.expiresEpochSec() - now <= 3600 + 5 && alice.expiresEpochSec() - now >= 3600 - 60);
        assertEquals("bob", Credential.verify(fetchAs("bob"), key, now).principal());
    }

    @Test
    public void whatTheCallerSendsCannotChangeWhoItIs() throws Exception {
        // bob names alice (as a bare name and in a request-like line): the answer is still bob's credential
        for (String claim : List.of("alice\n", "USER alice\n", "crane1:user:alice:9999999999:x\n")) {
            String answer = clientAs("bob", claim);
            assertTrue(answer, answer.startsWith("crane1:user:"));
            Credential c = Credential.verify(answer.trim(), key, System.currentTimeMillis() / 1000);
            assertEquals("bob", c.principal());
        }
    }

    @Test
    public void bobCannotTurnHisCredentialIntoAlices() throws Exception {
        String bob = fetchAs("bob");
        String forged = bob.replace(":bob:", ":alice:");
        InvalidCredentialException e = assertThrows(InvalidCredentialException.class,
                () -> Credential.verify(forged, key, System.currentTimeMillis() / 1000));
        assertTrue(e.getMessage(), e.getMessage().contains("signature"));
    }

    @Test
    public void systemAccountsGetNoCredential() throws Exception {
        // root: this test process itself
        CredentialSocket.Refused root = assertThrows(CredentialSocket.Refused.class,
                () -> CredentialSocket.fetch(socket, 10_000));
        assertTrue(root.getMessage(), root.getMessage().startsWith("no credential for root (uid 0): "));
        // daemon, uid 1: below MinJobUid
        String answer = clientAs("daemon", null);
        assertTrue(answer, answer.startsWith("REFUSED no credential for daemon (uid 1): "));
        assertTrue(answer, answer.contains("MinJobUid=1000"));
    }

    @Test
    public void aStaleSocketIsReplacedAndOtherFilesAreLeftAlone() throws Exception {
        service.close();
        service = null;
        Path stale = dir.resolve("stale.sock");
        try (CredentialService first = CredentialService.start(stale, uid -> new CredentialService.Issued("x", null))) {
            // the service of a crashed run would leave its socket behind; simulated by starting a second one on it
            try (CredentialService second = CredentialService.start(stale, uid -> new CredentialService.Issued("y", null))) {
                assertEquals("y", CredentialSocket.fetch(stale, 10_000));
            }
        }
        assertFalse("close removes the socket", Files.exists(stale));
        Path file = Files.writeString(dir.resolve("plain"), "keep");
        IOException e = assertThrows(IOException.class,
                () -> CredentialService.start(file, uid -> new CredentialService.Issued("x", null)));
        assertTrue(e.getMessage(), e.getMessage().contains("not a socket"));
        assertEquals("keep", Files.readString(file));
        Files.delete(file);
        Path tooLong = Path.of("/tmp/" + "x".repeat(120));
        assertTrue(assertThrows(IOException.class, () -> CredentialService.start(tooLong,
                uid -> new CredentialService.Issued("x", null))).getMessage().contains("at most 107"));
    }

    /**
     * The service inside cranectld: alice's credential from the socket works on the gRPC port with no administrator
     * step (she joins the default account on her first credential), and bob's cannot act on her job.
     */
    @Test
    public void credentialsFromTheSocketWorkOnTheControllerAndOnlyForTheirUser() throws Exception {
        service.close();
        service = null;
        Path state = dir.resolve("state");
        try (TestServer ts = new TestServer(state, cfg -> {
            cfg.credentialSocket = socket;
            cfg.credentialDefaultAccount = "users";
        })) {
            String alice = clientAs("alice", null).trim();
            var aliceStub = ts.stub(alice, null);
            assertEquals("alice", aliceStub.whoAmI(org.scow.crane.protocol.v1.Empty.getDefaultInstance()).getActor());
            long id = aliceStub.submitJob(org.scow.crane.protocol.v1.JobRequest.newBuilder().setName("mine")
                    .setTimeLimit("10").setWorkDir("/tmp").setScript("#!/bin/sh\ntrue\n").setHold(true).build())
                    .getJobId();
            assertEquals("the default account", "users", aliceStub.getJob(
                    org.scow.crane.protocol.v1.JobRef.newBuilder().setJobId(id).build()).getAccount());
            clientAs("alice", null); // a second credential: already a member, nothing changes
            String bob = clientAs("bob", null).trim();
            TestServer.expect("PERMISSION_DENIED", null, () -> ts.stub(bob, null).cancelJob(
                    org.scow.crane.protocol.v1.JobRef.newBuilder().setJobId(id).build()));
            TestServer.expect("PERMISSION_DENIED", null, () -> ts.stub(bob, "alice").whoAmI(
                    org.scow.crane.protocol.v1.Empty.getDefaultInstance()));
            aliceStub.cancelJob(org.scow.crane.protocol.v1.JobRef.newBuilder().setJobId(id).build());
        }
    }

    @Test
    public void passwdLinesAreMatchedByUid() {
        String db = "root:x:0:0::/root:/bin/bash\nalice:x:1001:1001::/home/alice:/bin/sh\n";
        assertEquals("alice", Passwd.parse(1001, db));
        assertEquals("root", Passwd.parse(0, db));
        assertNull(Passwd.parse(1002, db));
        assertNull("a gid is not a uid", Passwd.parse(100, "x:x:5:100::/:/bin/sh\n"));
    }

    /** The credential {@code user} gets through the real client. */
    private String fetchAs(String user) throws Exception {
        String out = clientAs(user, null);
        assertTrue(user + ": " + out, out.startsWith("crane1:user:"));
        return out.trim();
    }

    private String clientAs(String user, String claim) throws Exception {
        return clientAs(dir, socket, user, claim);
    }

    /**
     * Runs the real client ({@link CredentialSocket#main}) as {@code user} in its own JVM against {@code socket},
     * sending {@code claim} first when not null; its output: the credential, or REFUSED and the reason. The
     * client's classes are copied into {@code dir} (searchable by everyone): the build's repository may be private
     * to root.
     */
    static String clientAs(Path dir, Path socket, String user, String claim) throws Exception {
        Path classes = dir.resolve("classes");
        for (String c : List.of("CredentialSocket", "CredentialSocket$Refused")) {
            Path f = classes.resolve("org/scow/crane/protocol/" + c + ".class");
            if (Files.exists(f)) continue;
            Files.createDirectories(f.getParent());
            try (var in = CredentialSocket.class.getResourceAsStream(c + ".class")) {
                Files.write(f, in.readAllBytes());
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--clear-groups",
                java, "-XX:TieredStopAtLevel=1", "-cp", classes.toString(), CredentialSocket.class.getName(),
                socket.toString()));
        if (claim != null) cmd.add(claim);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(String.join(" ", cmd) + " did not end", p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }
}
