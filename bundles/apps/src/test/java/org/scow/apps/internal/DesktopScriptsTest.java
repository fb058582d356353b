package org.scow.apps.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The desktop scripts run for real with /bin/sh in a home of the test's own (TigerVNC, openbox, websockify and noVNC
 * as .ci/prepare.sh installs them): create starts Xvnc and the bridge, list shows the desktop, kill ends Xvnc.
 */
public class DesktopScriptsTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();
    private Path home;

    @Before
    public void home() {
        home = tmp.getRoot().toPath();
    }

    private record Ran(int status, String out, String err) {
    }

    private Ran sh(String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-s", "--"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HOME", home.toString());
        Path out = home.resolve("out.txt");
        Path err = home.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertTrue("the script ended", p.waitFor(40, TimeUnit.SECONDS));
        return new Ran(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Running, not merely not yet reaped (a container's first process may never reap). */
    static boolean running(long pid) throws IOException {
        Path status = Path.of("/proc/" + pid + "/status");
        return Files.exists(status) && !Files.readString(status).matches("(?s).*\\nState:\\s*Z.*");
    }

    @Test
    public void quotesEveryArgumentAsOneWord() {
        assertEquals("/bin/sh -s -- 'a b' 'it'\\''s' ''", DesktopScripts.command(List.of("a b", "it's", "")));
    }

    @Test
    public void parsesDesktopsAndIgnoresOddLines() {
        String id = "0123456789abcdef0123456789abcdef";
        Map<String, Map<String, String>> d = DesktopScripts.parse("noise\ndesktop\t" + id + "\ndisplay=12\nport=4000\n"
                + "desktop\tnot-an-id\nport=1\n");
        assertEquals(1, d.size());
        assertEquals("12", d.get(id).get("display"));
        assertEquals("4000", d.get(id).get("port"));
        assertEquals(List.of(true, false, false), DesktopScripts.installed("yes\nno\n", 3));
    }

    @Test
    public void windowManagersFromConfiguration() {
        List<LoginDesktops.WindowManager> w = LoginDesktops.parseWindowManagers(new String[] {
                "openbox=Openbox=openbox-session", "bad id=X=x", "nocommand=X=", "xfce=Xfce=startxfce4 --replace"});
        assertEquals(List.of(new LoginDesktops.WindowManager("openbox", "Openbox", "openbox-session"),
                new LoginDesktops.WindowManager("xfce", "Xfce", "startxfce4 --replace")), w);
    }

    @Test
    public void installedTellsWhichProgramsExist() throws Exception {
        Ran r = sh(DesktopScripts.INSTALLED, "sh -c true", "no-such-window-manager-42");
        assertEquals("yes\nno\n", r.out());
    }

    @Test
    public void createListKill() throws Exception {
        assertTrue("needs tigervnc-standalone-server tigervnc-tools websockify novnc openbox (.ci/prepare.sh)",
                Files.isExecutable(Path.of("/usr/bin/Xvnc")) && Files.isExecutable(Path.of("/usr/bin/websockify")));
        String id = "00112233445566778899aabbccddeeff";
        Ran created = sh(DesktopScripts.CREATE, id, "openbox", "openbox-session", "1024x768", "127.0.0.1", "0");
        assertEquals(created.err(), 0, created.status());
        Map<String, String> d = DesktopScripts.parse(created.out()).get(id);
        int port = Integer.parseInt(d.get("port"));
        assertTrue(d.toString(), d.get("password").matches("[0-9a-f]{8}"));
        assertEquals("openbox", d.get("windowManager"));
        long xvnc = Long.parseLong(Files.readString(home.resolve("scow/desktops/" + id + "/xvnc.pid")).strip());
        assertTrue(ProcessHandle.of(xvnc).map(ProcessHandle::isAlive).orElse(false));
        // Debian's Xvnc is a link to Xtigervnc: the process is known by its argv[0]
        assertTrue(Files.readString(Path.of("/proc/" + xvnc + "/cmdline")).startsWith("Xvnc\0:"));
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            assertTrue("websockify listens", s.isConnected());
        }
        assertEquals(Map.of(id, d), DesktopScripts.parse(sh(DesktopScripts.LIST).out()));

        assertEquals(0, sh(DesktopScripts.KILL, id).status());
        assertFalse("Xvnc ended (kill waits for it)", running(xvnc));
        assertEquals("", sh(DesktopScripts.LIST).out());
        assertFalse(Files.exists(home.resolve("scow/desktops/" + id)));
        assertEquals("a desktop that is gone", 4, sh(DesktopScripts.KILL, id).status());
    }

    @Test
    public void systemAccountsAreRefused() throws Exception {
        Ran r = sh(DesktopScripts.CREATE, "00112233445566778899aabbccddeef0", "openbox", "openbox-session",
                "1024x768", "127.0.0.1", "999999");
        assertEquals(r.err(), 5, r.status());
        assertTrue(r.err(), r.err().contains("system accounts"));
    }
}
