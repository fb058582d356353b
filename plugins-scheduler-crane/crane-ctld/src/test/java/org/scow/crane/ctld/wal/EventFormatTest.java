package org.scow.crane.ctld.wal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.HexFormat;
import org.junit.Test;
import org.scow.crane.ctld.account.AccountStore;
import org.scow.crane.ctld.model.JobDesc;
import org.scow.crane.ctld.model.PreemptMode;
import org.scow.crane.ctld.util.Buf;
import org.scow.crane.ctld.util.BufReader;
import org.scow.crane.protocol.JobState;

/**
 * The WAL encoding of every event type against golden bytes. The expected hex was produced by the encoding
 * statements of the controller before the events became typed records (issue 17), so every WAL written since the
 * first release replays; a change here breaks existing state directories and needs a new record layout instead.
 */
public class EventFormatTest {
    private static final long T = 1_700_000_000L;
    private static final JobDesc DESC = new JobDesc("n", "alice", "phys", "cpu", "normal", 2, 4, 2, 1, 2, 4096, 2048,
            "gpu:a100:1", 1, 3600, "/tmp", "#!/bin/sh\ntrue\n", new String[] {"A=b"}, null, null, "0-3%2", "afterok:7",
            0, false, true, null, "cn4", "c", true);

    private static String hex(Event e) {
        Buf b = new Buf();
        e.write(b);
        return HexFormat.of().formatHex(b.array(), 0, b.size());
    }

    private static Event read(String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        return Event.read(new BufReader(b, 0, b.length));
    }

    /** Encodes to the golden bytes and decodes back to an equal event (records with arrays compared by the caller). */
    private static Event roundTrip(Event e, String golden) {
        assertEquals(e.getClass().getSimpleName(), golden, hex(e));
        Event back = read(golden);
        assertEquals(golden, hex(back));
        return back;
    }

    @Test
    public void everyEventTypeKeepsItsBytes() {
        Event.Submit s = (Event.Submit) roundTrip(new Event.Submit(T, "alice", 42, DESC), "0180c49fd50c0a616c69636554"
                + "026e0a616c6963650870687973066370750c6e6f726d616c040804020480408020146770753a613130303a3102a038082f746d70"
                + "1e23212f62696e2f73680a747275650a0206413d6201010a302d3325321261667465726f6b3a370000010106636e34026301");
        assertEquals(42, s.id());
        assertEquals("alice", s.actor());
        assertEquals("afterok:7", s.desc().dependency());
        Event.Start st = (Event.Start) roundTrip(new Event.Start(T, 42, new int[] {0, 3}, new int[] {-1, 0}),
                "0280c49fd50c54040006040100");
        assertArrayEquals(new int[] {0, 3}, st.nodes());
        assertArrayEquals(new int[] {-1, 0}, st.gres());
        assertEquals(new Event.End(T, 42, JobState.TIMEOUT, 143, null), roundTrip(new Event.End(T, 42, JobState.TIMEOUT, 143, null),
                "0380c49fd50c54059e02"));
        assertEquals(new Event.End(T, 42, JobState.FAILED, 122, "could not start"),
                roundTrip(new Event.End(T, 42, JobState.FAILED, 122, "could not start"), "0380c49fd50c5403f4011e636f756c64206e6f74207374617274"));
        assertEquals(new Event.Requeue(T, 42), roundTrip(new Event.Requeue(T, 42), "0480c49fd50c54"));
        assertEquals(new Event.Modify(T, "root", 42, Event.MOD_TIME_LIMIT, 1800),
                roundTrip(new Event.Modify(T, "root", 42, Event.MOD_TIME_LIMIT, 1800), "0580c49fd50c08726f6f745403901c"));
        assertEquals(new Event.NodeChange(T, "root", 3, Event.NODE_DOWN, "dead"),
                roundTrip(new Event.NodeChange(T, "root", 3, Event.NODE_DOWN, "dead"), "0680c49fd50c08726f6f7406000864656164"));
        assertEquals(new Event.NodeChange(T, "root", 3, Event.NODE_RESUME, null),
                roundTrip(new Event.NodeChange(T, "root", 3, Event.NODE_RESUME, null), "0680c49fd50c08726f6f74060201"));
        AccountStore.Op op = new AccountStore.Op(AccountStore.BLOCK_ACCOUNT, new String[] {"phys", "gpu"}, new long[] {1});
        Event.AccountChange ac = (Event.AccountChange) roundTrip(new Event.AccountChange(T, "root", op),
                "0780c49fd50c08726f6f740a040870687973066770750202");
        assertEquals(op.describe(), ac.op().describe());
        assertEquals(new Event.PartitionChange(T, "root", 1, false),
                roundTrip(new Event.PartitionChange(T, "root", 1, false), "0880c49fd50c08726f6f740200"));
        assertEquals(new Event.Preempt(T, 42, 50, PreemptMode.REQUEUE),
                roundTrip(new Event.Preempt(T, 42, 50, PreemptMode.REQUEUE), "0980c49fd50c546402"));
    }

    @Test
    public void anEndWithoutReasonStopsAfterTheExitCode() {
        // records from before end reasons existed have nothing after the exit code
        assertNull(((Event.End) read("0380c49fd50c54059e02")).reason());
    }

    @Test(expected = IllegalStateException.class)
    public void anUnknownTypeIsRefused() {
        read("0a80c49fd50c");
    }
}
