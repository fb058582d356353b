package org.scow.scheduler.slurm.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.Test;

public class ScontrolRecordsTest {
    static final String NODE = "NodeName=c1 Arch=x86_64 CoresPerSocket=4  CPUAlloc=2 CPUEfctv=4 CPUTot=4 CPULoad=0.48 "
            + "AvailableFeatures=(null) ActiveFeatures=(null) Gres=(null) NodeAddr=127.0.0.1 NodeHostName=localhost "
            + "Port=17001 Version=22.05.8 OS=Linux 6.18.44-fc-v657 #1 SMP PREEMPT_DYNAMIC @0  RealMemory=4000 "
            + "AllocMem=300 FreeMem=23239 Sockets=1 Boards=1 State=MIXED ThreadsPerCore=1 TmpDisk=0 Weight=1 "
            + "Owner=N/A MCS_label=N/A Partitions=debug,long  BootTime=2026-11-24T00:02:12 "
            + "SlurmdStartTime=2026-11-24T00:12:59 LastBusyTime=2026-11-24T00:13:12 CfgTRES=cpu=4,mem=4000M,billing=4 "
            + "AllocTRES=cpu=2,mem=300M CapWatts=n/a CurrentWatts=0 AveWatts=0 ExtSensorsJoules=n/s "
            + "ExtSensorsWatts=0 ExtSensorsTemp=n/s";

    @Test
    public void valuesWithSpacesStayWhole() {
        Map<String, String> r = ScontrolRecords.parseLine(NODE);
        assertEquals("c1", r.get("NodeName"));
        assertEquals("Linux 6.18.44-fc-v657 #1 SMP PREEMPT_DYNAMIC @0", r.get("OS"));
        assertEquals("cpu=4,mem=4000M,billing=4", r.get("CfgTRES"));
        assertEquals("debug,long", r.get("Partitions"));
        assertEquals("MIXED", r.get("State"));
    }

    @Test
    public void reasonWithSpaces() {
        Map<String, String> r = ScontrolRecords.parseLine(
                "NodeName=c2 State=IDLE+DRAIN Reason=disk replaced by ops [root@2026-11-24T00:00:00] Weight=1");
        assertEquals("disk replaced by ops [root@2026-11-24T00:00:00]", r.get("Reason"));
        assertEquals("1", r.get("Weight"));
    }

    @Test
    public void severalRecordsOnePerLine() {
        List<Map<String, String>> rs = ScontrolRecords.parse(
                "PartitionName=a State=UP\n\nPartitionName=b State=DOWN\n");
        assertEquals(2, rs.size());
        assertEquals("DOWN", rs.get(1).get("State"));
    }
}
