package org.scow.crane.craned;

import static org.junit.Assert.assertEquals;

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

    private TestUsers() {
    }

    /** Creates {@code name} (system account, no home, no login) unless it exists; returns its passwd entry. */
    public static UnixUser ensure(String name) throws Exception {
        try {
            return UnixUser.lookup(name);
        } catch (IOException absent) {
            Process p = new ProcessBuilder("useradd", "--system", "--no-create-home", "--shell", "/bin/sh", name)
                    .redirectErrorStream(true).start();
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
