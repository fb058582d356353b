package org.scow.crane.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The commands, run in-process against a real cranectld over gRPC with issued credentials. */
public class CommandsTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();
    private Cluster c;

    @Before
    public void start() throws Exception {
        c = new Cluster(tmp.getRoot().toPath());
        c.ok("root", "cacctmgr", "add", "account", "phys", "Description=physics dept");
        c.ok("root", "cacctmgr", "add", "user", "alice", "Account=phys");
        c.ok("root", "cacctmgr", "add", "user", "bob", "Account=phys");
    }

    @After
    public void stop() {
        c.close();
    }

    private static JsonObject json(Cluster.Result r) {
        return JsonParser.parseString(r.out()).getAsJsonObject();
    }

    private long submit(String user, String... args) throws Exception {
        String out = c.ok(user, "cbatch", args).out().trim();
        assertTrue(out, out.matches("Submitted batch job \\d+"));
        return Long.parseLong(out.substring(out.lastIndexOf(' ') + 1));
    }

    private JsonObject job(long id) throws Exception {
        JsonArray jobs = json(c.ok("root", "ccontrol", "show", "job", Long.toString(id), "--json")).getAsJsonArray("jobs");
        assertEquals(1, jobs.size());
        return jobs.get(0).getAsJsonObject();
    }

    private JsonObject awaitState(long id, String state) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        JsonObject j;
        while (!(j = job(id)).get("state").getAsString().equals(state)) {
            if (System.nanoTime() > deadline) throw new AssertionError("job " + id + " never became " + state + ": " + j);
            Thread.sleep(50);
        }
        return j;
    }

    // ---- cbatch --------------------------------------------------------------------------------------------------

    @Test
    public void cbatchHonoursDirectivesAndTheCommandLineWins() throws Exception {
        // the seed's RELION example, with identical directives
        c.script("relion.sh", """
                #!/bin/bash
                #CBATCH --job-name=relion_map3d
                #CBATCH -p cpu
                #CBATCH -N 2
                #CBATCH --ntasks-per-node=2
                #CBATCH --mem=3400M
                #CBATCH -t 50:00:00
                #CBATCH -o crane_relion_map3d_%j.out
                #SBATCH -A phys
                #SBATCH --comment="slurm spelling"
                echo "$CRANE_JOB_NODELIST"
                sleep 600
                """);
        long id = submit("alice", "relion.sh");
        JsonObject j = job(id);
        assertEquals("relion_map3d", j.get("name").getAsString());
        assertEquals("alice", j.get("user").getAsString());
        assertEquals("phys", j.get("account").getAsString());
        assertEquals("cpu", j.get("partition").getAsString());
        assertEquals(2, j.get("nodes").getAsInt());
        assertEquals(4, j.get("cpus").getAsInt());
        assertEquals(3400, j.get("mem_per_node_mb").getAsLong());
        assertEquals(50 * 3600, j.get("time_limit_sec").getAsLong());
        assertEquals("crane_relion_map3d_%j.out", j.get("stdout").getAsString());
        assertEquals("slurm spelling", j.get("comment").getAsString());
        assertEquals(c.dir.resolve("work").toString(), j.get("work_dir").getAsString());
        awaitState(id, "RUNNING");

        // the command line overrides directives: name, time, partition, output, hold, chdir
        long id2 = submit("alice", "-J", "override", "--time=30", "-p", "gpu", "-N", "1", "--output", "x_%j.log", "-e", "x.err",
                "--hold", "-D", "sub", "--comment", "cli", "relion.sh");
        JsonObject j2 = job(id2);
        assertEquals("override", j2.get("name").getAsString());
        assertEquals(1800, j2.get("time_limit_sec").getAsLong());
        assertEquals("gpu", j2.get("partition").getAsString());
        assertEquals("x_%j.log", j2.get("stdout").getAsString());
        assertEquals("x.err", j2.get("stderr").getAsString());
        assertEquals("cli", j2.get("comment").getAsString());
        assertTrue(j2.get("held").getAsBoolean());
        assertEquals(c.dir.resolve("work").resolve("sub").toString(), j2.get("work_dir").getAsString());

        // arrays, dependencies, begin time, exclusive, node lists, gres, --wrap, --parsable, stdin
        String arr = c.ok("alice", "cbatch", "--parsable", "-a", "1-5%2", "-A", "phys", "-t", "10", "--wrap", "sleep 300").out().trim();
        long arrayId = Long.parseLong(arr);
        JsonArray tasks = json(c.ok("alice", "cqueue", "-j", arr, "--json")).getAsJsonArray("jobs");
        assertEquals(5, tasks.size());
        assertEquals(arr + "_1", tasks.get(0).getAsJsonObject().get("display_id").getAsString());
        long dep = submit("alice", "-d", "afterok:" + arrayId, "-t", "5", "--wrap", "true");
        assertEquals("Dependency", awaitReason(dep, "Dependency").get("reason").getAsString());
        long later = submit("alice", "-b", "now+2hours", "-t", "5", "--wrap", "true");
        awaitReason(later, "BeginTime");
        long gpu = submit("bob", "--gres=gpu:a100:1", "-p", "gpu", "-c", "2", "-n", "1", "--exclusive", "-w", "g1",
                "--mail-type=END", "--wrap", "sleep 100");
        JsonObject g = job(gpu);
        assertEquals("gpu:a100:1", g.get("gres").getAsString());
        assertEquals(1, g.get("gres_per_node").getAsInt());
        long fromStdin = Long.parseLong(c.run(c.env("bob"), "#!/bin/sh\n#SBATCH -J piped\nsleep 5\n", "sbatch", "--parsable")
                .out().trim());
        assertEquals("piped", job(fromStdin).get("name").getAsString());
        assertEquals("Submitted batch job " + (fromStdin + 1), c.ok("bob", "sbatch", "-x", "cn1", "--wrap", "true").out().trim());
    }

    private JsonObject awaitReason(long id, String reason) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        JsonObject j;
        while (!(j = job(id)).get("reason").getAsString().equals(reason)) {
            if (System.nanoTime() > deadline) throw new AssertionError("job " + id + " never waited for " + reason + ": " + j);
            Thread.sleep(50);
        }
        return j;
    }

    @Test
    public void exportFollowsSlurm() throws Exception {
        var b = org.scow.crane.protocol.v1.JobRequest.newBuilder().putEnv("A", "1").putEnv("B", "2").putEnv("C", "3");
        org.scow.crane.protocol.BatchOptions.apply(List.of("--export=A,D=4"), b);
        assertEquals(java.util.Map.of("A", "1", "D", "4"), b.getEnvMap());
        b.clearEnv().putEnv("A", "1");
        org.scow.crane.protocol.BatchOptions.apply(List.of("--export", "ALL,E=5"), b);
        assertEquals(java.util.Map.of("A", "1", "E", "5"), b.getEnvMap());
        org.scow.crane.protocol.BatchOptions.apply(List.of("--export=NONE"), b);
        assertTrue(b.getEnvMap().isEmpty());
        long now = 1_700_000_000L;
        assertEquals(now + 7200, org.scow.crane.protocol.BatchOptions.parseBegin("-b", "now+2hours", now, java.time.ZoneOffset.UTC));
        assertEquals(now + 90, org.scow.crane.protocol.BatchOptions.parseBegin("-b", "now+90", now, java.time.ZoneOffset.UTC));
        // 2023-11-14T22:13:20Z; 23:00 is later the same day, 10:00 is tomorrow
        assertEquals(1_700_002_800L, org.scow.crane.protocol.BatchOptions.parseBegin("-b", "23:00", now, java.time.ZoneOffset.UTC));
        assertEquals(1_700_042_400L, org.scow.crane.protocol.BatchOptions.parseBegin("-b", "10:00", now, java.time.ZoneOffset.UTC));
        assertEquals(1_700_006_400L, org.scow.crane.protocol.BatchOptions.parseBegin("-b", "2023-11-15", now, java.time.ZoneOffset.UTC));
    }

    // ---- errors --------------------------------------------------------------------------------------------------

    /** A refusal of a bad value: exit 2, the option as written, no controller field name, no Java internals. */
    private void badInput(String expected, String... args) throws Exception {
        Cluster.Result r = c.fails(2, "alice", "cbatch", args);
        assertTrue(r.err(), r.err().startsWith("cbatch: error: ") && r.err().contains(expected));
        for (String internal : new String[] {"timeLimit", "cpusPerTask", "memPerCpu", "error: mem", "Input length", "Exception"}) {
            assertFalse(r.err(), r.err().contains(internal));
        }
    }

    @Test
    public void refusalsNameTheOptionTheUserWrote() throws Exception {
        c.script("job.sh", "#!/bin/sh\ntrue\n");
        badInput("--time: needs a value, got an empty one", "--time=", "job.sh");
        badInput("-t: needs a value, got an empty one", "-t", "", "job.sh");
        badInput("--time: malformed duration 'abc'", "--time=abc", "job.sh");
        badInput("-t: malformed duration 'abc'", "-t", "abc", "job.sh");
        badInput("-c: must be at least 1, was 0", "-c", "0", "job.sh");
        badInput("--cpus-per-task: must be at least 1, was 0", "--cpus-per-task=0", "job.sh");
        badInput("--mem: malformed size 'lots'", "--mem=lots", "job.sh");
        badInput("-N: must be at least 1, was 0", "-N0", "job.sh");
        // directives: the line and the directive as written
        c.script("d1.sh", "#!/bin/sh\n#CBATCH -c 0\ntrue\n");
        badInput("#CBATCH -c 0 (line 2): must be at least 1, was 0", "d1.sh");
        c.script("d2.sh", "#!/bin/sh\n#SBATCH --time=\ntrue\n");
        badInput("line 2: #SBATCH --time=: needs a value, got an empty one", "d2.sh");
        c.script("d3.sh", "#!/bin/sh\n#SBATCH --mem=lots\n#SBATCH --time=xyz\ntrue\n");
        badInput("#SBATCH --mem=lots (line 2): malformed size 'lots'", "d3.sh");
        badInput("#SBATCH --time=xyz (line 3): malformed duration 'xyz'", "--mem=1G", "d3.sh");
        // the command line wins, and then it is the one named
        badInput("--time: malformed duration 'q'", "--mem=1G", "--time=q", "d3.sh");
        // binary garbage and other encodings
        java.nio.file.Path work = c.dir.resolve("work");
        java.nio.file.Files.write(work.resolve("a.out"), new byte[] {0x7f, 'E', 'L', 'F', 0, 1, 2});
        badInput("the script a.out is not a text file (a NUL byte at offset 4)", "a.out");
        java.nio.file.Files.write(work.resolve("latin1.sh"),
                "#!/bin/sh\necho caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        badInput("is not UTF-8 text (byte 0xe9 at offset 18, line 2)", "latin1.sh");
        // nothing of all this reached the queue
        assertEquals(0, c.server.controller().jobs(j -> true).size());
    }

    @Test
    public void badFlagsUnknownPartitionsAndLimitsGiveClearErrors() throws Exception {
        c.script("job.sh", "#!/bin/sh\n#CBATCH -t 10\nsleep 1\n");
        assertTrue(c.fails(2, "alice", "cbatch", "--bogus", "job.sh").err().contains("--bogus"));
        assertTrue(c.fails(2, "alice", "cbatch", "-N").err().contains("nodes"));
        assertTrue(c.fails(2, "alice", "cbatch", "-N", "two", "job.sh").err().contains("'two' is not a number"));
        assertTrue(c.fails(2, "alice", "cbatch", "missing.sh").err().contains("no such script"));
        assertTrue(c.fails(2, "alice", "cbatch", "-b", "someday", "job.sh").err().contains("someday"));
        Cluster.Result r = c.fails(1, "alice", "cbatch", "-p", "nosuch", "job.sh");
        assertTrue(r.err(), r.err().startsWith("cbatch: error: ") && r.err().contains("nosuch"));
        r = c.fails(1, "alice", "cbatch", "-t", "4-0", "job.sh");
        assertTrue(r.err(), r.err().contains("time"));
        r = c.fails(1, "alice", "cbatch", "-N", "9", "job.sh");
        assertTrue(r.err(), r.err().contains("node"));
        r = c.fails(1, "alice", "cbatch", "--mem=64G", "job.sh");
        assertTrue(r.err(), r.err().contains("65536 MiB"));
        r = c.fails(1, "alice", "cbatch", "-A", "chem", "job.sh");
        assertTrue(r.err(), r.err().contains("chem"));
        c.script("bad.sh", "#!/bin/sh\n#SBATCH --frobnicate=3\ntrue\n");
        r = c.fails(2, "alice", "cbatch", "bad.sh");
        assertTrue(r.err(), r.err().contains("directives") && r.err().contains("--frobnicate"));
        assertTrue(c.fails(2, "alice", "cqueue", "-o", "%j %Y").err().contains("%Y"));
        assertTrue(c.fails(2, "alice", "cqueue", "-t", "sleeping").err().contains("sleeping"));
        assertTrue(c.fails(2, "alice", "cacct", "-E", "yesterday-ish").err().contains("yesterday-ish"));
        assertTrue(c.fails(2, "alice", "cacct", "-o", "JobId,Bogus").err().contains("Bogus"));
        assertTrue(c.fails(2, "alice", "ccancel").err().contains("filter"));
        assertTrue(c.fails(2, "alice", "ccancel", "12x").err().contains("12x"));
        assertTrue(c.fails(1, "alice", "ccancel", "424242").err().contains("no job 424242"));
        assertTrue(c.fails(2, "alice", "ccontrol", "frob").err().contains("frob"));
        assertTrue(c.fails(1, "alice", "cinfo", "-p", "nosuch").err().contains("nosuch"));
        assertTrue(c.fails(2, "root", "cacctmgr", "add", "account", "x", "Colour=red").err().contains("colour"));

        // no credential, a forged one, an unreachable controller
        var env = c.env("alice");
        env.put("CRANE_CREDENTIAL", c.dir.resolve("nope").toString());
        r = c.run(env, "", "cqueue");
        assertEquals(1, r.exit());
        assertTrue(r.err(), r.err().contains("no credential"));
        java.nio.file.Files.writeString(c.dir.resolve("forged"), "crane1:user:alice:9999999999:AAAA\n");
        env.put("CRANE_CREDENTIAL", c.dir.resolve("forged").toString());
        r = c.run(env, "", "cqueue");
        assertEquals(1, r.exit());
        assertTrue(r.err(), r.err().contains("refused"));
        env = c.env("alice");
        env.put("CRANE_CONTROLLER", "127.0.0.1:1");
        r = c.run(env, "", "cinfo");
        assertEquals(1, r.exit());
        assertTrue(r.err(), r.err().contains("cannot reach cranectld at 127.0.0.1:1"));
        // help is not an error
        assertTrue(c.ok("alice", "cbatch", "--help").out().contains("--ntasks-per-node"));
    }

    // ---- cqueue --------------------------------------------------------------------------------------------------

    @Test
    public void cqueueFiltersFormatsAndJson() throws Exception {
        long a1 = submit("alice", "-J", "alpha", "-t", "10", "--wrap", "sleep 600");
        long a2 = submit("alice", "-J", "beta", "-t", "10", "-H", "--wrap", "sleep 600");
        long b1 = submit("bob", "-J", "gamma", "-p", "gpu", "-t", "10", "--wrap", "sleep 600");
        awaitState(a1, "RUNNING");
        awaitState(b1, "RUNNING");

        String out = c.ok("alice", "cqueue").out();
        String[] lines = out.split("\n");
        assertTrue(out, lines[0].matches("JOBID +PARTITION +NAME +USER +ACCOUNT +STATE +TYPE +TIME +TIMELIMIT +NODES +NODELIST\\(REASON\\)"));
        assertEquals(out, 4, lines.length);
        assertTrue(out, out.contains("(JobHeldUser)"));

        JsonObject js = json(c.ok("alice", "cqueue", "--json"));
        assertEquals(3, js.get("total").getAsInt());
        JsonArray jobs = js.getAsJsonArray("jobs");
        assertEquals(a1, jobs.get(0).getAsJsonObject().get("job_id").getAsLong());
        assertEquals("RUNNING", jobs.get(0).getAsJsonObject().get("state").getAsString());
        assertEquals("cn1", jobs.get(0).getAsJsonObject().get("node_list").getAsString());

        assertEquals(a2 + "|beta|PENDING\n", c.ok("alice", "cqueue", "-t", "pending", "-N", "-o", "%j|%n|%t").out());
        assertEquals("  " + a1 + " alpha\n", c.ok("alice", "cqueue", "--name", "alpha", "--noheader", "-o", "%.5j %n").out()
                .replaceFirst("^ *", "  "));
        assertEquals(List.of(a1, a2), ids(c.ok("alice", "cqueue", "-u", "alice", "-N", "-o", "%j").out()));
        assertEquals(List.of(b1), ids(c.ok("alice", "cqueue", "-p", "gpu", "-N", "-o", "%j").out()));
        assertEquals(List.of(b1), ids(c.ok("bob", "cqueue", "--self", "-N", "-o", "%j").out()));
        assertEquals(List.of(a1, b1), ids(c.ok("alice", "cqueue", "-t", "r", "-N", "-o", "%j").out()));
        assertEquals(List.of(b1), ids(c.ok("alice", "cqueue", "-w", "g1", "-N", "-o", "%j").out()));
        assertEquals(List.of(a2), ids(c.ok("alice", "cqueue", "-j", a2 + ",999", "-N", "-o", "%j").out()));
        assertEquals(List.of(a1, a2, b1), ids(c.ok("alice", "cqueue", "-A", "phys", "-q", "normal", "-N", "-o", "%j").out()));
        // width truncates unless -F; sacct-style name lists work too
        assertEquals("alp\n", c.ok("alice", "cqueue", "-j", Long.toString(a1), "-N", "-o", "%3n").out());
        assertEquals("alpha\n", c.ok("alice", "cqueue", "-j", Long.toString(a1), "-N", "-F", "-o", "%3n").out());
        assertEquals("alpha RUNNING\n", c.ok("alice", "cqueue", "-j", Long.toString(a1), "-N", "-o", "JobName,State").out());
        // -m caps the lines and says so
        Cluster.Result r = c.ok("alice", "cqueue", "-m", "1", "-N", "-o", "%j");
        assertEquals(a1 + "\n", r.out());
        assertTrue(r.err(), r.err().contains("showing 1 of 3"));
        // squeue: Slurm letters and -h
        String sq = c.ok("alice", "squeue", "-h", "-u", "alice", "-o", "%i %j %t %D").out();
        assertEquals(a1 + " alpha R  1\n" + a2 + " beta  PD 1\n", sq);
        assertTrue(c.ok("alice", "squeue").out().startsWith("             JOBID PARTITION     NAME     USER ST"));
    }

    private static List<Long> ids(String lines) {
        List<Long> out = new ArrayList<>();
        for (String l : lines.split("\n")) if (!l.isBlank()) out.add(Long.parseLong(l.trim()));
        return out;
    }

    // ---- ccancel -------------------------------------------------------------------------------------------------

    @Test
    public void ccancelByIdsArraysAndFilters() throws Exception {
        long a1 = submit("alice", "-J", "one", "-t", "10", "--wrap", "sleep 600");
        long a2 = submit("alice", "-J", "two", "-t", "10", "--wrap", "sleep 600");
        long arr = submit("alice", "-J", "arr", "-a", "0-3", "-t", "10", "--wrap", "sleep 600");
        long b1 = submit("bob", "-J", "two", "-t", "10", "--wrap", "sleep 600");
        long b2 = submit("bob", "-J", "gpu", "-p", "gpu", "-t", "10", "--wrap", "sleep 600");
        awaitState(a1, "RUNNING");

        assertEquals("Job " + a1 + " cancelled\n", c.ok("alice", "ccancel", Long.toString(a1)).out());
        assertEquals("CANCELLED", job(a1).get("state").getAsString());
        // alice may not cancel bob's job: refused, clear, non-zero
        Cluster.Result r = c.fails(1, "alice", "ccancel", Long.toString(b1));
        assertTrue(r.err(), r.err().contains("job " + b1));
        assertEquals("PENDING".equals(job(b1).get("state").getAsString()) || "RUNNING".equals(job(b1).get("state").getAsString()), true);
        // one task of an array, then the rest by the array id
        c.ok("alice", "ccancel", arr + "_2");
        JsonArray tasks = json(c.ok("alice", "cacct", "-j", Long.toString(arr), "--json")).getAsJsonArray("jobs");
        assertEquals(4, tasks.size());
        assertEquals("CANCELLED", tasks.get(2).getAsJsonObject().get("state").getAsString());
        assertFalse("CANCELLED".equals(tasks.get(0).getAsJsonObject().get("state").getAsString()));
        c.ok("alice", "ccancel", Long.toString(arr));
        for (var t : json(c.ok("alice", "cacct", "-j", Long.toString(arr), "--json")).getAsJsonArray("jobs")) {
            assertEquals("CANCELLED", t.getAsJsonObject().get("state").getAsString());
        }
        // an already finished job
        assertTrue(c.fails(1, "alice", "ccancel", Long.toString(a1)).err().contains("already finished"));
        // filters: by name as root cancels both users' "two"; by node list
        assertEquals("Cancelled 2 job(s)\n", c.ok("root", "ccancel", "-n", "two").out());
        assertEquals("CANCELLED", job(a2).get("state").getAsString());
        assertEquals("CANCELLED", job(b1).get("state").getAsString());
        awaitState(b2, "RUNNING");
        c.ok("root", "ccancel", "-w", "g1");
        assertEquals("CANCELLED", job(b2).get("state").getAsString());
        // scancel is quiet, as in Slurm
        long b3 = submit("bob", "-t", "10", "--wrap", "sleep 600");
        assertEquals("", c.ok("bob", "scancel", "-u", "bob", "-p", "cpu").out());
        assertEquals("CANCELLED", job(b3).get("state").getAsString());
    }

    // ---- ccontrol ------------------------------------------------------------------------------------------------

    @Test
    public void ccontrolShowHoldReleaseAndUpdates() throws Exception {
        long blocker = submit("alice", "-N", "3", "--exclusive", "-t", "60", "--wrap", "sleep 600");
        awaitState(blocker, "RUNNING");
        long id = submit("alice", "-J", "waits", "-t", "120", "--wrap", "sleep 60");

        c.ok("alice", "ccontrol", "hold", Long.toString(id));
        JsonObject j = awaitReason(id, "JobHeldUser");
        assertTrue(j.get("held").getAsBoolean());
        c.ok("alice", "ccontrol", "release", Long.toString(id));
        assertFalse(job(id).get("held").getAsBoolean());
        // an admin hold cannot be released by the user
        c.ok("root", "ccontrol", "hold", Long.toString(id));
        assertTrue(c.fails(1, "alice", "ccontrol", "release", Long.toString(id)).err().contains("job " + id));
        c.ok("root", "ccontrol", "release", Long.toString(id));

        // a user may shorten, only an operator may extend; priority is operator-only
        c.ok("alice", "ccontrol", "update", "JobId=" + id, "TimeLimit=30");
        assertEquals(1800, job(id).get("time_limit_sec").getAsLong());
        // bad and empty values are named as written, never as the controller's field
        Cluster.Result bad = c.fails(1, "alice", "ccontrol", "update", "JobId=" + id, "TimeLimit=abc");
        assertTrue(bad.err(), bad.err().contains("job " + id + ": TimeLimit=abc: malformed duration 'abc'")
                && !bad.err().contains("timeLimit"));
        assertTrue(c.fails(2, "alice", "ccontrol", "update", "JobId=" + id, "TimeLimit=").err()
                .contains("TimeLimit= needs a value"));
        assertTrue(c.fails(2, "alice", "cqueue", "-m", "many").err().contains("option '-m': 'many' is not a number"));
        assertTrue(c.fails(1, "alice", "ccontrol", "update", "jobid=" + id, "timelimit=2:00:00").err().contains("job " + id));
        c.ok("root", "ccontrol", "update", "jobid=" + id, "TimeLimit=2:00:00", "Priority=5000");
        assertEquals(7200, job(id).get("time_limit_sec").getAsLong());
        assertEquals(5000, job(id).get("priority").getAsLong());
        assertTrue(c.fails(2, "root", "ccontrol", "update", "jobid=" + id, "Colour=red").err().contains("colour"));

        // show: key=value text and JSON
        String text = c.ok("alice", "ccontrol", "show", "job", Long.toString(id)).out();
        assertTrue(text, text.startsWith("JobId=" + id + " DisplayId=" + id));
        assertTrue(text, text.contains("JobName=waits") && text.contains("TimeLimit=02:00:00"));
        String part = c.ok("alice", "ccontrol", "show", "partition", "cpu").out();
        assertTrue(part, part.startsWith("PartitionName=cpu Nodes=cn[1-3]"));
        assertTrue(part, part.contains("MaxTime=3-00:00:00"));

        // nodes: drain with a reason, seen by cinfo and ccontrol, then resume
        assertTrue(c.fails(1, "alice", "ccontrol", "update", "NodeName=g1", "State=DRAIN", "Reason=x").err().length() > 0);
        assertTrue(c.fails(2, "root", "ccontrol", "update", "NodeName=g1", "State=DRAIN").err().contains("Reason"));
        c.ok("root", "ccontrol", "update", "NodeName=g1", "State=DRAIN", "Reason=fan broken");
        JsonObject n = json(c.ok("alice", "ccontrol", "show", "node", "g1", "--json")).getAsJsonArray("nodes").get(0).getAsJsonObject();
        assertEquals("DRAIN", n.get("state").getAsString());
        assertEquals("fan broken", n.get("reason").getAsString());
        assertEquals("fan broken g1\n", c.ok("alice", "cinfo", "-R", "-N").out());
        assertEquals("gpu drain 1 g1\n", c.ok("alice", "cinfo", "-p", "gpu", "-N", "-o", "%p %t %D %N").out());
        c.ok("root", "ccontrol", "update", "NodeName=g1", "State=RESUME");
        assertEquals("gpu idle 1 g1\n", c.ok("alice", "cinfo", "-p", "gpu", "-N", "-o", "%p %t %D %N").out());

        // partitions down and up
        c.ok("root", "ccontrol", "update", "PartitionName=gpu", "State=DOWN");
        assertTrue(c.ok("alice", "cinfo", "-p", "gpu").out().contains("gpu       down"));
        c.ok("root", "ccontrol", "update", "PartitionName=gpu", "State=UP");

        // cinfo default layout, node-oriented and JSON
        String info = c.ok("alice", "cinfo").out();
        assertTrue(info, info.startsWith("PARTITION AVAIL TIMELIMIT  NODES STATE NODELIST\ncpu*      up    3-00:00:00 3     alloc cn[1-3]\n"));
        JsonObject ij = json(c.ok("alice", "cinfo", "--json"));
        assertEquals(2, ij.getAsJsonArray("partitions").size());
        assertEquals(4, ij.getAsJsonArray("nodes").size());
        assertEquals(List.of("g1"), List.of(c.ok("alice", "sinfo", "-h", "-N", "-t", "idle", "-o", "%N").out().trim()));
    }

    // ---- cacctmgr ------------------------------------------------------------------------------------------------

    @Test
    public void cacctmgrAccountsUsersQosAndBlocks() throws Exception {
        c.ok("root", "cacctmgr", "add", "qos", "high", "Priority=100", "MaxJobsPerUser=2", "MaxWall=1-0");
        c.ok("root", "cacctmgr", "modify", "account", "root", "set", "QOS=normal,high");
        c.ok("root", "cacctmgr", "add", "account", "chem", "Parent=root", "QOS=normal,high", "DefaultQOS=normal", "Shares=5");
        c.ok("root", "cacctmgr", "add", "user", "carol", "Account=chem", "QOS=normal,high");
        c.ok("root", "cacctmgr", "modify", "qos", "high", "set", "MaxSubmitPerUser=3");

        JsonArray qos = json(c.ok("alice", "cacctmgr", "show", "qos", "high", "--json")).getAsJsonArray("qos");
        JsonObject high = qos.get(0).getAsJsonObject();
        assertEquals(100, high.get("priority").getAsLong());
        assertEquals(2, high.get("max_jobs_per_user").getAsLong()); // kept by the modify
        assertEquals(3, high.get("max_submit_per_user").getAsLong());
        assertEquals("1-00:00:00", high.get("max_wall").getAsString());
        // the preempt list is set and cleared like the other keys
        c.ok("root", "cacctmgr", "modify", "qos", "high", "set", "Preempt=normal");
        String shown = c.ok("alice", "cacctmgr", "show", "qos", "high").out();
        assertTrue(shown, shown.matches("(?s).*PREEMPT.*\nhigh .* normal\\s*"));
        c.ok("root", "cacctmgr", "modify", "qos", "high", "set", "Preempt=");
        assertEquals(0, json(c.ok("alice", "cacctmgr", "show", "qos", "high", "--json")).getAsJsonArray("qos").get(0)
                .getAsJsonObject().getAsJsonArray("preempt").size());

        JsonObject chem = json(c.ok("alice", "cacctmgr", "show", "account", "chem", "--json")).getAsJsonArray("accounts")
                .get(0).getAsJsonObject();
        assertEquals("root", chem.get("parent").getAsString());
        assertEquals(5, chem.get("shares").getAsLong());
        assertEquals("carol", chem.getAsJsonArray("members").get(0).getAsJsonObject().get("user").getAsString());
        String users = c.ok("alice", "cacctmgr", "show", "user", "carol").out();
        assertTrue(users, users.matches("(?s)USER +ACCOUNT +ADMINLEVEL.*\ncarol +chem +none +no +no .*"));

        // QoS limits apply to submissions through cbatch
        long q1 = submit("carol", "-q", "high", "-t", "10", "--wrap", "sleep 600");
        submit("carol", "-q", "high", "-t", "10", "--wrap", "sleep 600");
        submit("carol", "-q", "high", "-t", "10", "--wrap", "sleep 600");
        Cluster.Result r = c.fails(1, "carol", "cbatch", "-q", "high", "-t", "10", "--wrap", "sleep 600");
        assertTrue(r.err(), r.err().toLowerCase().contains("submit"));
        assertTrue(c.fails(1, "carol", "cbatch", "-q", "high", "-t", "2-0", "--wrap", "true").err().length() > 0);
        c.ok("carol", "ccancel", "-u", "carol");

        // block: the whole account, per partition, a user; unblock
        c.ok("root", "cacctmgr", "block", "account", "chem");
        r = c.fails(1, "carol", "cbatch", "-t", "10", "--wrap", "true");
        assertTrue(r.err(), r.err().contains("blocked"));
        assertTrue(c.ok("alice", "cacctmgr", "show", "account", "chem").out().contains(" yes "));
        c.ok("root", "cacctmgr", "unblock", "account", "chem");
        submit("carol", "-t", "10", "--wrap", "true");
        c.ok("root", "cacctmgr", "block", "account", "phys", "Partitions=gpu");
        assertTrue(c.fails(1, "alice", "cbatch", "-p", "gpu", "-t", "10", "--wrap", "true").err().contains("gpu"));
        submit("alice", "-p", "cpu", "-t", "10", "--wrap", "true");
        c.ok("root", "cacctmgr", "unblock", "account", "phys");
        submit("alice", "-p", "gpu", "-t", "10", "--wrap", "true");
        c.ok("root", "cacctmgr", "block", "user", "bob", "Account=phys");
        assertTrue(c.fails(1, "bob", "cbatch", "-t", "10", "--wrap", "true").err().contains("blocked"));
        c.ok("root", "cacctmgr", "unblock", "user", "bob", "account=phys");
        submit("bob", "-t", "10", "--wrap", "true");

        // permissions: a plain user cannot administer; an operator can
        assertTrue(c.fails(1, "alice", "cacctmgr", "add", "account", "mine").err().length() > 0);
        c.ok("root", "cacctmgr", "modify", "user", "alice", "set", "AdminLevel=operator");
        c.ok("alice", "cacctmgr", "add", "account", "mine", "Description=by an operator");
        assertTrue(c.ok("alice", "cacctmgr", "show", "user", "alice").out().contains("operator"));

        // delete: a user from an account, an account, a QoS; errors are clear
        c.ok("root", "cacctmgr", "add", "user", "dave", "Account=mine");
        c.ok("root", "cacctmgr", "delete", "user", "dave", "Account=mine");
        c.ok("root", "cacctmgr", "delete", "account", "mine");
        assertTrue(c.fails(1, "root", "cacctmgr", "delete", "account", "mine").err().contains("mine"));
        assertTrue(c.fails(1, "root", "cacctmgr", "show", "account", "mine").err().contains("no account 'mine'"));
        c.ok("root", "cacctmgr", "add", "qos", "tmp");
        c.ok("root", "cacctmgr", "delete", "qos", "tmp");
        assertTrue(c.fails(2, "root", "cacctmgr", "frobnicate", "account").err().contains("frobnicate"));

        String log = c.ok("root", "cacctmgr", "show", "transactions").out();
        assertTrue(log, log.contains("block") && log.contains("chem"));
        assertTrue(q1 > 0);
    }

    // ---- cacct ---------------------------------------------------------------------------------------------------

    /** No silent failures: why a job could not start (its node's report) is in cacct's default table and JSON. */
    @Test
    public void cacctShowsWhyAJobCouldNotStart() throws Exception {
        long ok = submit("alice", "-J", "fine", "-t", "5", "--wrap", "true");
        long broken = submit("alice", "-J", "nodir", "-t", "5", "--wrap", "sleep 600");
        awaitState(ok, "COMPLETED");
        awaitState(broken, "RUNNING");
        String plain = c.ok("alice", "cacct", "-j", Long.toString(ok)).out();
        assertFalse(plain, plain.contains("REASON")); // nothing to say: the usual layout
        // what a node reports for a job whose working directory is missing (simulated nodes run nothing)
        c.server.controller().jobEnded(broken, 0, org.scow.crane.protocol.JobState.FAILED, 122, 0,
                "could not start: cd: can't cd to /data/gone");
        String out = c.ok("alice", "cacct").out();
        assertTrue(out, out.startsWith("JOBID NAME  PARTITION ACCOUNT CPUS STATE     EXITCODE REASON\n"));
        assertTrue(out, out.contains("FAILED    122      could not start: cd: can't cd to /data/gone\n"));
        JsonObject js = json(c.ok("alice", "cacct", "-j", Long.toString(broken), "--json"));
        assertEquals("could not start: cd: can't cd to /data/gone",
                js.getAsJsonArray("jobs").get(0).getAsJsonObject().get("reason").getAsString());
        assertEquals(broken + "|FAILED|could not start: cd: can't cd to /data/gone\n", c.ok("alice", "cacct", "-j",
                Long.toString(broken), "-N", "--parsable", "-o", "JobId,State,Reason").out());
    }

    @Test
    public void cacctHistoryByEndTimeStateAndFormat() throws Exception {
        long ok = submit("alice", "-J", "quick", "-t", "5", "--wrap", "true");
        long bad = submit("alice", "-J", "broken", "-t", "5", "--wrap", "exit 3");
        long live = submit("bob", "-J", "long", "-t", "5", "--wrap", "sleep 600");
        awaitState(ok, "COMPLETED");
        awaitState(bad, "FAILED");
        awaitState(live, "RUNNING");

        String all = c.ok("alice", "cacct").out();
        assertTrue(all, all.startsWith("JOBID NAME   PARTITION ACCOUNT CPUS STATE     EXITCODE\n"));
        assertEquals(all, 4, all.split("\n").length);
        assertEquals(List.of(ok, bad), ids(c.ok("alice", "cacct", "-E", "now-1hour~now+1hour", "-N", "-o", "%j").out()));
        assertEquals(List.of(), ids(c.ok("alice", "cacct", "-E", "~now-1hour", "-N", "-o", "%j").out()));
        assertEquals(List.of(), ids(c.ok("alice", "cacct", "-E", "now+1hour~", "-N", "-o", "%j").out()));
        assertEquals(List.of(ok, bad), ids(c.ok("alice", "cacct", "-E", "now+1hour", "-N", "-o", "%j").out()));
        assertEquals(List.of(ok, bad, live), ids(c.ok("alice", "cacct", "-S", "now-1hour~", "-N", "-o", "%j").out()));
        assertEquals(List.of(bad), ids(c.ok("alice", "cacct", "-t", "f", "-N", "-o", "%j").out()));
        assertEquals(List.of(ok), ids(c.ok("alice", "cacct", "-t", "completed", "-n", "quick", "-N", "-o", "%j").out()));
        assertEquals(List.of(live), ids(c.ok("alice", "cacct", "-u", "bob", "-N", "-o", "%j").out()));
        assertEquals(bad + "|broken|FAILED|3\n", c.ok("alice", "cacct", "-j", Long.toString(bad), "-N", "--parsable",
                "-o", "JobId,JobName,State,ExitCode").out());
        JsonObject js = json(c.ok("alice", "cacct", "-E", "now-1hour~now+1hour", "--json"));
        assertEquals(2, js.get("total").getAsInt());
        JsonObject first = js.getAsJsonArray("jobs").get(0).getAsJsonObject();
        assertEquals("quick", first.get("name").getAsString());
        assertTrue(first.get("end_time").getAsLong() >= first.get("start_time").getAsLong());
        // sacct: Slurm's -n (no header) and name lists with widths
        assertEquals(ok + " COMPLETED\n", c.ok("alice", "sacct", "-n", "-j", Long.toString(ok), "--format=JobID,State").out());
    }

    // ---- configuration -------------------------------------------------------------------------------------------

    @Test
    public void clientConfigurationLookup() throws Exception {
        java.nio.file.Path conf = c.dir.resolve("crane.conf");
        java.nio.file.Files.writeString(conf, """
                # the controller's own file works too
                ListenAddress=0.0.0.0
                ListenPort=12345
                Node name=cn[1-2] cpus=4 mem=8G
                CredentialFile=~/creds/%u.cred
                """);
        var env = new java.util.HashMap<String, String>();
        env.put("HOME", "/home/zed");
        env.put("USER", "zed");
        Io io = new Io(System.out, System.err, null, env, c.dir);
        ClientConfig cc = ClientConfig.resolve(io, conf.toString());
        assertEquals("127.0.0.1", cc.host());
        assertEquals(12345, cc.port());
        assertEquals(java.nio.file.Path.of("/home/zed/creds/zed.cred"), cc.credentialFile());
        java.nio.file.Files.writeString(conf, "ControllerAddress=head.cluster:777\n");
        env.put("CRANE_CONF", conf.toString());
        cc = ClientConfig.resolve(io, null);
        assertEquals("head.cluster", cc.host());
        assertEquals(777, cc.port());
        assertEquals(java.nio.file.Path.of("/home/zed/.crane/credential"), cc.credentialFile());
        env.put("CRANE_CONTROLLER", "10.0.0.1:99");
        env.put("CRANE_CREDENTIAL", "/tmp/c");
        cc = ClientConfig.resolve(io, null);
        assertEquals("10.0.0.1:99", cc.target());
        assertEquals(java.nio.file.Path.of("/tmp/c"), cc.credentialFile());
        assertEquals(null, cc.credentialSocket());
        assertFalse("a named credential file is always used", cc.usesCredentialService());
    }

    @Test
    public void theCredentialServiceIsAskedWhenNoCredentialFileIsNamedOrPresent() throws Exception {
        java.nio.file.Path etc = java.nio.file.Files.createDirectories(c.dir.resolve("dist/crane/etc"));
        java.nio.file.Path conf = java.nio.file.Files.writeString(etc.resolve("commands.conf"),
                "ControllerAddress=127.0.0.1:10011\nCredentialSocket=../../data/crane/auth.sock\n");
        var env = new java.util.HashMap<String, String>();
        env.put("HOME", c.dir.resolve("home").toString());
        env.put("USER", "zed");
        env.put("CRANE_CONF", conf.toString());
        Io io = new Io(System.out, System.err, null, env, c.dir);
        ClientConfig cc = ClientConfig.resolve(io, null);
        // relative to the configuration file: the shipped file works wherever the distribution is unpacked
        assertEquals(c.dir.resolve("dist/data/crane/auth.sock").toAbsolutePath(), cc.credentialSocket());
        assertTrue(cc.usesCredentialService());
        // a credential file of one's own (~/.crane/credential) still wins
        java.nio.file.Files.createDirectories(c.dir.resolve("home/.crane"));
        java.nio.file.Files.writeString(c.dir.resolve("home/.crane/credential"), "x");
        assertFalse(ClientConfig.resolve(io, null).usesCredentialService());
        env.put("CRANE_CREDENTIAL_SOCKET", "/run/other.sock");
        java.nio.file.Files.delete(c.dir.resolve("home/.crane/credential"));
        assertEquals(java.nio.file.Path.of("/run/other.sock"), ClientConfig.resolve(io, null).credentialSocket());
        // a service that is not there is said as such, naming the socket
        env.put("CRANE_CREDENTIAL_SOCKET", c.dir.resolve("absent.sock").toString());
        var err = new java.io.ByteArrayOutputStream();
        io = new Io(System.out, new java.io.PrintStream(err, true), null, env, c.dir);
        assertEquals(1, Crane.run("cqueue", new String[0], io));
        assertTrue(err.toString(), err.toString().startsWith("cqueue: error: cannot get a credential from the"
                + " credential service " + c.dir.resolve("absent.sock")));
    }
}
