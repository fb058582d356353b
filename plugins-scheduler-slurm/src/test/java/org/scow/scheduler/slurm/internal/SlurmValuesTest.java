package org.scow.scheduler.slurm.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.time.Instant;
import java.util.Map;

import org.junit.Test;

public class SlurmValuesTest {

    @Test
    public void timesAreUtcAndSlurmsNothingWordsAreNull() {
        assertEquals(Instant.parse("2026-11-24T00:13:26Z"), SlurmValues.time("2026-11-24T00:13:26"));
        for (String nothing : new String[] {"Unknown", "None", "N/A", "", "(null)"}) {
            assertNull(nothing, SlurmValues.time(nothing));
        }
        assertEquals("2026-11-24T00:13:26", SlurmValues.formatTime(Instant.parse("2026-11-24T00:13:26.731Z")));
    }

    @Test
    public void durationsInEverySlurmNotation() {
        assertEquals(Long.valueOf(10), SlurmValues.minutes("10:00"));
        assertEquals(Long.valueOf(1), SlurmValues.seconds("0:01"));
        assertEquals(Long.valueOf(3723), SlurmValues.seconds("1:02:03"));
        assertEquals(Long.valueOf(7 * 24 * 60), SlurmValues.minutes("7-00:00:00"));
        assertEquals(Long.valueOf(86400 + 2 * 3600), SlurmValues.seconds("1-02"));
        assertEquals(Long.valueOf(86400 + 2 * 3600 + 3 * 60), SlurmValues.seconds("1-02:03"));
        assertEquals(Long.valueOf(15), SlurmValues.minutes("15"));
        assertEquals("seconds round up to whole minutes", Long.valueOf(2), SlurmValues.minutes("1:30"));
        assertNull(SlurmValues.minutes("UNLIMITED"));
        assertNull(SlurmValues.minutes("Partition_Limit"));
        assertNull(SlurmValues.minutes("INFINITE"));
        assertNull(SlurmValues.minutes("garbage"));
    }

    @Test
    public void memoryInMib() {
        assertEquals(Long.valueOf(600), SlurmValues.memoryMb("600M"));
        assertEquals(Long.valueOf(4096), SlurmValues.memoryMb("4G"));
        assertEquals(Long.valueOf(1536), SlurmValues.memoryMb("1.50G"));
        assertEquals(Long.valueOf(2L << 20), SlurmValues.memoryMb("2T"));
        assertEquals(Long.valueOf(1), SlurmValues.memoryMb("100K"));
        assertEquals(Long.valueOf(4000), SlurmValues.memoryMb("4000"));
        assertEquals("per-CPU marker of old ReqMem", Long.valueOf(100), SlurmValues.memoryMb("100Mc"));
        assertNull(SlurmValues.memoryMb(""));
        assertNull(SlurmValues.memoryMb("lots"));
    }

    @Test
    public void tresLists() {
        Map<String, String> tres = SlurmValues.tres("cpu=4,mem=600M,node=2,billing=4,gres/gpu=3,gres/gpu:a100=3");
        assertEquals(Integer.valueOf(4), SlurmValues.tresCpus(tres));
        assertEquals(Long.valueOf(600), SlurmValues.tresMemoryMb(tres));
        assertEquals(Integer.valueOf(2), SlurmValues.tresNodes(tres));
        assertEquals(Integer.valueOf(3), SlurmValues.tresGpus(tres));
        assertEquals(Map.of(), SlurmValues.tres(""));
        assertNull(SlurmValues.tresGpus(SlurmValues.tres("cpu=1")));
    }

    @Test
    public void gresRequests() {
        assertEquals(Integer.valueOf(2), SlurmValues.gresGpus("gres:gpu:2"));
        assertEquals(Integer.valueOf(2), SlurmValues.gresGpus("gres/gpu:a100:2"));
        assertEquals(Integer.valueOf(0), SlurmValues.gresGpus("gres:gpu:0"));
        assertEquals(Integer.valueOf(1), SlurmValues.gresGpus("gpu"));
        assertEquals(Integer.valueOf(3), SlurmValues.gresGpus("gres:gpu:1,gres:gpu:v100:2"));
        assertNull(SlurmValues.gresGpus("gres:mps:100"));
        assertNull(SlurmValues.gresGpus("N/A"));
    }

    @Test
    public void exitCodes() {
        assertEquals(Integer.valueOf(0), SlurmValues.exitCode("0:0"));
        assertEquals(Integer.valueOf(1), SlurmValues.exitCode("1:0"));
        assertEquals("killed by SIGTERM", Integer.valueOf(143), SlurmValues.exitCode("0:15"));
        assertNull(SlurmValues.exitCode(""));
        assertEquals(Integer.valueOf(1), JobColumns.waitStatus(256));
        assertEquals(Integer.valueOf(143), JobColumns.waitStatus(15));
        assertEquals(Integer.valueOf(0), JobColumns.waitStatus(0));
    }
}
