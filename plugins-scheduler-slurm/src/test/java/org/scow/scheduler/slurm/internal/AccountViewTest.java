package org.scow.scheduler.slurm.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;
import org.scow.api.scheduler.AccountBlockStatus;

public class AccountViewTest {
    private static final List<String> PARTITIONS = List.of("debug", "long");

    /**
     * One line of {@code sacctmgr -n -P show assoc format=}{@value Association#FORMAT}; {@code limits} holds "G" for
     * the group limits set to 0 (account/partition block) and "M" for the per-user ones (user block).
     */
    static String assoc(String account, String user, String partition, String limits, String... qos) {
        String grp = limits.contains("G") ? "0" : "";
        String max = limits.contains("M") ? "0" : "";
        return String.join("|", account, user, partition, grp, grp, max, max, qos.length > 0 ? qos[0] : "",
                qos.length > 1 ? qos[1] : "") + "\n";
    }

    private static AccountView view(String sacctmgrOutput) {
        return new AccountView("phys", Association.parse(sacctmgrOutput));
    }

    @Test
    public void parsesSacctmgrAssociations() {
        List<Association> a = Association.parse("phys|||0|0|||normal|\n"
                + "phys|alice|debug|||0|0|normal,high|normal\n");
        assertEquals(2, a.size());
        assertTrue(a.get(0).isAccount());
        assertTrue(a.get(0).grpBlocked());
        assertEquals("debug", a.get(1).partition());
        assertTrue(a.get(1).maxBlocked());
        assertEquals("normal,high", a.get(1).qos());
    }

    @Test
    public void unblockedAccount() {
        AccountView v = view(assoc("phys", "", "", "") + assoc("phys", "alice", "", "")
                + assoc("other", "bob", "", ""));
        assertTrue(v.exists());
        assertEquals(Set.of("alice"), v.members());
        assertEquals(new AccountBlockStatus(false, Map.of("debug", false, "long", false)), v.status(PARTITIONS));
        assertFalse(v.userBlocked("alice"));
    }

    @Test
    public void wholeAccountBlockCoversEveryPartition() {
        AccountView v = view(assoc("phys", "", "", "G") + assoc("phys", "alice", "", ""));
        assertEquals(new AccountBlockStatus(true, Map.of("debug", true, "long", true)), v.status(PARTITIONS));
        assertEquals("whole blocks are not partition blocks", Set.of(), v.partitionBlocks(PARTITIONS));
    }

    @Test
    public void partitionBlockNeedsEveryMembersPartitionAssociation() {
        AccountView half = view(assoc("phys", "", "", "") + assoc("phys", "alice", "", "")
                + assoc("phys", "alice", "debug", "G") + assoc("phys", "bob", "", ""));
        assertFalse("bob may still submit to debug", half.blockedIn("debug"));
        AccountView full = view(
                assoc("phys", "", "", "") + assoc("phys", "alice", "", "") + assoc("phys", "alice", "debug", "G")
                        + assoc("phys", "bob", "", "") + assoc("phys", "bob", "debug", "G"));
        assertEquals(new AccountBlockStatus(false, Map.of("debug", true, "long", false)), full.status(PARTITIONS));
        assertEquals(Set.of("debug"), full.partitionBlocks(PARTITIONS));
        AccountView everywhere = view(assoc("phys", "", "", "") + assoc("phys", "alice", "", "")
                + assoc("phys", "alice", "debug", "G")
                + assoc("phys", "alice", "long", "G"));
        assertTrue("blocked overall when blocked in every partition", everywhere.status(PARTITIONS).blocked());
    }

    @Test
    public void userBlockMustCoverEveryAssociationOfTheUser() {
        AccountView partly = view(assoc("phys", "", "", "") + assoc("phys", "alice", "", "M")
                + assoc("phys", "alice", "debug", ""));
        assertFalse("alice can still submit to debug", partly.userBlocked("alice"));
        AccountView fully = view(assoc("phys", "", "", "") + assoc("phys", "alice", "", "M")
                + assoc("phys", "alice", "debug", "GM"));
        assertTrue(fully.userBlocked("alice"));
        assertFalse("a user block is no account block", fully.status(PARTITIONS).blocked());
    }

    @Test
    public void missingAccount() {
        AccountView v = view(assoc("other", "", "", ""));
        assertFalse(v.exists());
        assertFalse(v.isMember("alice"));
    }
}
