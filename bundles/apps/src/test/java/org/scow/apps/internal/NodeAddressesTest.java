package org.scow.apps.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class NodeAddressesTest {
    private static final Connection ON_C2 = Connection.parse("host=c2\nport=40001\npassword=pw\nbasePath=/proxy/x/\n",
            "c[1-4]");

    @Test
    public void aListedClusterIsReachedAtItsAddressOthersByNodeName() {
        NodeAddresses a = NodeAddresses.parse(" slurm=127.0.0.1 , other=gw.example.org");
        assertEquals(new Connection("127.0.0.1", 40001, "pw", "/proxy/x/"), a.route("slurm", ON_C2));
        assertEquals("gw.example.org", a.route("other", ON_C2).host());
        assertSame(ON_C2, a.route("local", ON_C2));
        assertNull(a.route("slurm", null));
        assertSame(ON_C2, NodeAddresses.parse("").route("slurm", ON_C2));
        assertSame(ON_C2, NodeAddresses.parse(null).route("slurm", ON_C2));
    }

    @Test
    public void badEntriesAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NodeAddresses.parse("slurm=127.0.0.1,oops"));
        assertTrue(e.getMessage(), e.getMessage().contains("'oops'"));
        assertThrows(IllegalArgumentException.class, () -> NodeAddresses.parse("slurm=a b"));
        assertThrows(IllegalArgumentException.class, () -> NodeAddresses.parse("=127.0.0.1"));
    }
}
