package org.scow.crane.ctld;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.scow.crane.ctld.TestCluster.expectError;

import java.util.List;
import org.junit.Test;
import org.scow.crane.ctld.model.ArraySpec;
import org.scow.crane.ctld.model.Dependency;
import org.scow.crane.ctld.model.GresRegistry;
import org.scow.crane.ctld.util.HostList;
import org.scow.crane.ctld.util.TimeSpec;

public class ParsingTest {
    @Test
    public void durationsInSlurmNotation() {
        assertEquals(30 * 60, TimeSpec.parseDuration("t", "30"));
        assertEquals(5 * 60 + 7, TimeSpec.parseDuration("t", "5:07"));
        assertEquals(2 * 3600 + 3 * 60 + 4, TimeSpec.parseDuration("t", "2:03:04"));
        assertEquals(86400 + 12 * 3600, TimeSpec.parseDuration("t", "1-12"));
        assertEquals(2 * 86400 + 3600 + 60, TimeSpec.parseDuration("t", "2-01:01"));
        assertEquals(7 * 86400 + 1, TimeSpec.parseDuration("t", "7-00:00:01"));
        assertEquals("1-12:00:00", TimeSpec.formatDuration(TimeSpec.parseDuration("t", "1-12")));
    }

    @Test
    public void malformedDurationsRejected() {
        for (String bad : new String[] {"", "abc", "-5", "1:2:3:4", "0", "00:00:00", "1-25", "10:61", "1.5", "1--2", "99999999-0", " 1 2"}) {
            CtldException e = expectError(CtldException.Code.INVALID_ARGUMENT, () -> TimeSpec.parseDuration("timeLimit", bad));
            assertEquals("timeLimit", e.field());
        }
    }

    @Test
    public void memorySizes() {
        assertEquals(4096, TimeSpec.parseMemMb("m", "4G"));
        assertEquals(512, TimeSpec.parseMemMb("m", "512"));
        assertEquals(1, TimeSpec.parseMemMb("m", "1000K"));
        assertEquals(1024 * 1024, TimeSpec.parseMemMb("m", "1T"));
        expectError(CtldException.Code.INVALID_ARGUMENT, () -> TimeSpec.parseMemMb("m", "-1G"));
        expectError(CtldException.Code.INVALID_ARGUMENT, () -> TimeSpec.parseMemMb("m", "4X"));
    }

    @Test
    public void arraySpecs() {
        ArraySpec a = ArraySpec.parse("array", "1-100:2%10", 10000);
        assertEquals(50, a.indices().length);
        assertEquals(1, a.indices()[0]);
        assertEquals(99, a.indices()[49]);
        assertEquals(10, a.maxConcurrent());
        assertArrayEquals(new int[] {0, 3, 7, 8, 9}, ArraySpec.parse("array", "0,3,7-9", 100).indices());
        assertArrayEquals(new int[] {5}, ArraySpec.parse("array", "5", 100).indices());
        assertEquals(0, ArraySpec.parse("array", "1-3", 100).maxConcurrent());
    }

    @Test
    public void badArraySpecsRejected() {
        for (String bad : new String[] {"", "a-b", "5-1", "1-10:0", "1-10%0", "1-10%", "-3", "1-2-3", "1,,2", "1-10:-2"}) {
            expectError(CtldException.Code.INVALID_ARGUMENT, () -> ArraySpec.parse("array", bad, 10000));
        }
        CtldException e = expectError(CtldException.Code.INVALID_ARGUMENT, () -> ArraySpec.parse("array", "0-10000", 10000));
        assertTrue(e.getMessage().contains("more than 10000"));
        expectError(CtldException.Code.INVALID_ARGUMENT, () -> ArraySpec.parse("array", "0-999999999", 1_000_000_000));
    }

    @Test
    public void dependencies() {
        Dependency d = Dependency.parse("d", "afterok:12:13,afterany:14");
        assertFalse(d.or());
        assertArrayEquals(new long[] {12, 13, 14}, d.ids());
        assertArrayEquals(new int[] {Dependency.AFTER_OK, Dependency.AFTER_OK, Dependency.AFTER_ANY}, d.types());
        Dependency o = Dependency.parse("d", "afterok:1?afternotok:2");
        assertTrue(o.or());
        expectError(CtldException.Code.INVALID_ARGUMENT, () -> Dependency.parse("d", "afterok:1,afterany:2?after:3"));
        expectError(CtldException.Code.INVALID_ARGUMENT, () -> Dependency.parse("d", "before:1"));
        expectError(CtldException.Code.INVALID_ARGUMENT, () -> Dependency.parse("d", "afterok"));
        expectError(CtldException.Code.INVALID_ARGUMENT, () -> Dependency.parse("d", "afterok:x"));
    }

    @Test
    public void hostLists() {
        List<String> h = HostList.expand("n", "cn[01-03,07],gpu1");
        assertEquals(List.of("cn01", "cn02", "cn03", "cn07", "gpu1"), h);
        assertEquals("cn[01-03,07],gpu1", HostList.compress(h));
        expectError(CtldException.Code.INVALID_ARGUMENT, () -> HostList.expand("n", "cn[1-"));
        expectError(CtldException.Code.INVALID_ARGUMENT, () -> HostList.expand("n", "cn[5-1]"));
        expectError(CtldException.Code.INVALID_ARGUMENT, () -> HostList.expand("n", "bad name"));
    }

    @Test
    public void gresRequests() {
        GresRegistry g = new GresRegistry();
        int a100 = g.register("gpu", "a100");
        int v100 = g.register("gpu", "v100");
        GresRegistry.Request r = g.parseRequest("gres", "gpu:a100:2");
        assertArrayEquals(new int[] {a100}, r.choices());
        assertEquals(2, r.count());
        assertArrayEquals(new int[] {a100, v100}, g.parseRequest("gres", "gpu:3").choices());
        assertEquals(1, g.parseRequest("gres", "gpu").count());
        assertTrue(g.parseRequest("gres", "gpu:0").none());
        expectError(CtldException.Code.INVALID_ARGUMENT, () -> g.parseRequest("gres", "gpu:a100:-1"));
        expectError(CtldException.Code.NOT_FOUND, () -> g.parseRequest("gres", "gpu:h100:1"));
        expectError(CtldException.Code.INVALID_ARGUMENT, () -> g.parseRequest("gres", "gpu:a100:1,fpga:1"));
        expectError(CtldException.Code.INVALID_ARGUMENT, () -> g.parseRequest("gres", "gpu:a:b:c"));
    }

    @Test
    public void configErrorsNameTheLine() {
        CtldException e = expectError(CtldException.Code.INVALID_ARGUMENT, () -> CtldConfig.parse("Node name=a cpus=4 mem=1G\nBogus=1\n"));
        assertTrue(e.getMessage(), e.getMessage().contains("line 2"));
    }
}
