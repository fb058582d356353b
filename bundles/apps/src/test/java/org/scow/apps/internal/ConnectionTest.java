package org.scow.apps.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import org.junit.Test;

public class ConnectionTest {
    @Test
    public void parsesTheFileTheJobWrites() {
        Connection c = Connection.parse("host=cn02\nport=40123\npassword=abc=def\nbasePath=/proxy/x/\n", "cn[01-03]");
        assertEquals(new Connection("cn02", 40123, "abc=def", "/proxy/x/"), c);
    }

    @Test
    public void theProxyGoesOnlyToTheJobsOwnNodesAndUnprivilegedPorts() {
        refuses("host=db.internal\nport=5432\n", "cn01", "the app's host db.internal is not a node of its job (cn01)");
        refuses("host=cn01\nport=22\n", "cn01", "the app's port 22 is not between 1024 and 65535");
        refuses("host=cn01\nport=x\n", "cn01", "the connection file names no valid port");
        refuses("host=http://evil/\nport=4000\n", "cn01", "the connection file names no valid host");
        refuses("host=cn01\nport=4000\n", null, "the app's host cn01 is not a node of its job (null)");
        assertTrue(Connection.onNodes("cn01.cluster.local", "cn01"));
        assertFalse(Connection.onNodes("cn011", "cn01"));
    }

    @Test
    public void expandsHostLists() {
        assertEquals(List.of("cn01", "cn02", "cn03", "cn07", "gpu1"), Connection.expand("cn[01-03,07],gpu1"));
        assertEquals(List.of("r1-n1", "r2-n1"), Connection.expand("r[1-2]-n1"));
        assertEquals(List.of("vm"), Connection.expand("vm"));
    }

    private static void refuses(String text, String nodes, String message) {
        try {
            fail("accepted " + Connection.parse(text, nodes));
        } catch (IllegalArgumentException e) {
            assertEquals(message, e.getMessage());
        }
    }
}
