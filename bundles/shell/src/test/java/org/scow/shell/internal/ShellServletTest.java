package org.scow.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.Test;

public class ShellServletTest {
    @Test
    public void originMustNameThisServer() {
        assertTrue(ShellServlet.sameOrigin(null, "portal:8181"));
        assertTrue(ShellServlet.sameOrigin("http://portal:8181", "portal:8181"));
        assertTrue(ShellServlet.sameOrigin("https://portal.example.org", "portal.example.org"));
        assertFalse(ShellServlet.sameOrigin("http://evil.example.org", "portal:8181"));
        assertFalse(ShellServlet.sameOrigin("http://portal:9999", "portal:8181"));
        assertFalse(ShellServlet.sameOrigin("null", "portal:8181"));
        assertFalse(ShellServlet.sameOrigin("file://x", "portal:8181"));
    }

    @Test
    public void quotedDirectoriesReachTheShellLiterally() throws Exception {
        String[] dirs = {"/tmp/plain", "/tmp/it's", "/tmp/$(touch x) `id` ; rm -rf ~", "/tmp/a\"b\\c", "/tmp/ünï"};
        for (String dir : dirs) {
            String quoted = ShellQuoting.quote(dir);
            // the real shell must print the value back unchanged
            Process p = new ProcessBuilder("sh", "-c", "printf %s " + quoted).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor());
            assertEquals(dir, out);
        }
        assertThrows(IllegalArgumentException.class, () -> ShellQuoting.quote("/tmp/a\nb"));
    }
}
