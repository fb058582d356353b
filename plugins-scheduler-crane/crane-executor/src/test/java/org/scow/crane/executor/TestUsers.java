package org.scow.crane.executor;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * Unix accounts and directories for tests that run jobs as another user. The tests run as root (the executor's
 * normal case); the account is created with useradd once and left in place (a system account without login).
 */
public final class TestUsers {
    /** The unprivileged account jobs of the "other user" tests run as. */
    public static final String USER = "cranetest";
    /**
     * An ordinary account (uid from 1000 up), for the tests of "system accounts never run jobs": {@link #USER} is a
     * system account (useradd --system, uid below 1000), so the tests that use it list it in AllowedSystemUsers.
     */
    public static final String ORDINARY = "cranejob";

    private TestUsers() {
    }

    /** Creates {@code name} (system account, no home, no login) unless it exists; returns its passwd entry. */
    public static UnixUser ensure(String name) throws Exception {
        return ensure(name, true);
    }

    /** Creates the ordinary account {@link #ORDINARY} (no home, no login, uid at least 1000) unless it exists. */
    public static UnixUser ensureOrdinary() throws Exception {
        UnixUser u = ensure(ORDINARY, false);
        assertTrue(ORDINARY + " must be an ordinary account, has uid " + u.uid(), u.uid() >= 1000);
        return u;
    }

    private static UnixUser ensure(String name, boolean system) throws Exception {
        try {
            return UnixUser.lookup(name);
        } catch (IOException absent) {
            java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("useradd", "--no-create-home",
                    "--shell", "/bin/sh", name));
            if (system) cmd.add(1, "--system");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(30, TimeUnit.SECONDS);
            assertEquals("useradd " + name + ": " + out, 0, p.exitValue());
            return UnixUser.lookup(name);
        }
    }

    /**
     * A fresh directory every user can reach and write (mode 0777), under a parent that job users can
     * search — {@code Files.createTempDirectory} makes 0700 directories, which a job user could not enter.
     */
    public static Path sharedDir(String prefix) throws IOException {
        Path d = Files.createTempDirectory(Path.of("/tmp"), prefix);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
        return d;
    }

    public static boolean isRoot() {
        return JobExecutor.effectiveUid() == 0;
    }
}
