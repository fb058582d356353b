package org.scow.crane.ctld;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.scow.crane.protocol.JobUserPolicy;
import org.scow.crane.ctld.model.GresRegistry;
import org.scow.crane.ctld.model.Node;
import org.scow.crane.ctld.model.Partition;
import org.scow.crane.ctld.model.PreemptMode;
import org.scow.crane.ctld.util.HostList;
import org.scow.crane.ctld.util.TimeSpec;

/**
 * Controller configuration: cluster layout (nodes, partitions) and tunables. Read from a line-oriented file
 * ({@code Key=Value}, {@code Node name=.. cpus=..}, {@code Partition name=.. nodes=..}; {@code #} comments) or built
 * in code with the fluent methods.
 */
public final class CtldConfig {
    public String clusterName = "crane";
    /** Directory for WAL segments and snapshots; null keeps state in memory only (tests). */
    public Path stateDir;
    public long schedulerIntervalMs = 1000;
    /** Jobs that may get a future reservation per pass (conservative backfill depth). */
    public int backfillDepth = 100;
    /**
     * Node scans for "can it start now" per pass (after the cheap shape/dominance filters); jobs beyond it wait for
     * the next pass with reason Priority. Bounds the pass time for huge queues, like Slurm's bf_max_job_test.
     */
    public int maxStartAttempts = 20000;
    /** Reservations further than this in the future are not made. */
    public long backfillWindowSec = 30L * 86400;
    public int maxArraySize = 10000;
    public int maxPendingJobs = 4_000_000;
    public int maxScriptBytes = 1 << 20;
    public long defaultTimeLimitSec = 3600;
    /**
     * Memory per CPU of a job that asks for none (Slurm's DefMemPerCPU), for partitions without their own
     * {@code defmempercpu=}; 0: each partition's smallest memory-per-CPU share of its nodes (memory / CPUs), so a
     * job without --mem is limited and accounted like its share of a node instead of getting 0 MiB.
     */
    public long defMemPerCpuMb;
    public long weightAge = 1000;
    public long weightFairShare = 10000;
    public long weightJobSize = 1000;
    public long weightPartition = 1000;
    public long weightQos = 10000;
    public long priorityMaxAgeSec = 7L * 86400;
    public long fairShareHalfLifeSec = 7L * 86400;
    public boolean favorSmall;
    /** GPU weight in usage accounting (1 GPU-second counts as this many CPU-seconds). */
    public double gpuUsageWeight = 8.0;
    public int maxRequeue = 5;
    /**
     * What preemption does to the jobs of partitions without their own {@code preemptmode=}: OFF (default, nothing
     * is ever preempted), CANCEL or REQUEUE. Which QoS may preempt which is the QoS' {@code preempt} list.
     */
    public PreemptMode preemptMode = PreemptMode.OFF;
    /** Pending jobs per pass for which victims are searched (each search walks the running jobs of the nodes). */
    public int preemptMaxSearches = 100;
    /**
     * Finished jobs kept in memory (getJob and dependency checks of recently finished jobs). With a StateDir all
     * finished jobs are also in the history files; without one this window is the whole history. The old key
     * {@code HistoryRetentionJobs} is read as this.
     */
    public int historyMemoryJobs = 10_000;
    /** How long the history files keep a finished job, by end time; whole UTC days (rounded up). */
    public long historyRetentionSec = 365L * 86400;
    /** How often the history files are written and fsynced (the WAL already holds every end). */
    public long historyFlushMs = 2000;
    /** History retention in whole days, at least one. */
    public int historyRetentionDays() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (historyRetentionSec + 86399) / 86400));
    }

    /** Take a snapshot (and drop old WAL segments) after this many WAL records; 0 disables. */
    public long snapshotEveryRecords = 2_000_000;
    // ---- network server (crane-server); kept here so one file configures the whole daemon
    /** Address the gRPC server binds; loopback unless the operator opens it up (credentials are bearer tokens). */
    public String listenAddress = "127.0.0.1";
    /** TLS for the gRPC port: PEM certificate chain and PKCS#8 key; both or neither. */
    public Path tlsCertFile;
    public Path tlsKeyFile;
    /** Serve plaintext on an address other than loopback (credentials then cross the network readable). */
    public boolean allowPlaintext;
    public int listenPort = 10011;
    /** HMAC key that signs credentials; default {@code StateDir/auth.key}, created on first start. */
    public Path authKeyFile;
    /**
     * Unix socket of the local credential service (crane-server CredentialService): any local user connecting gets
     * a user credential for the uid the kernel reports. Null: no service.
     */
    public Path credentialSocket;
    /** Lifetime of the credentials the service issues. */
    public long credentialTtlSec = 3600;
    /**
     * Account (created under root when missing) that a user without any membership joins when the credential service
     * first gives them a credential, so that on a single-machine cluster a Unix user can submit with no
     * administrator step. Null: none (a networked cluster's accounts are managed by its administrators).
     */
    public String credentialDefaultAccount;
    /** End jobs after their script's {@code sleep} instead of running them: only until the node daemon exists. */
    public boolean simulatedNodes;
    /** A submission wakes the scheduler, but passes start at most this often. */
    public long minPassGapMs = 20;
    // ---- single-machine cluster: the controller runs the jobs itself (crane-executor's LocalLauncher)
    /** Run started jobs on this machine, in the controller's process, with the real executor. */
    public boolean localExecutor;
    /** Executor spool (job scripts, status); default {@code StateDir/spool}. Job users must be able to reach it. */
    public Path spoolDir;
    /** Run jobs as their Unix users (needs root); false is single-user mode: only the daemon user's jobs run. */
    public boolean runJobsAsUser = true;
    /** {@code auto}, {@code off} or {@code required}. */
    public String cgroups = "auto";
    /** Seconds between SIGTERM and SIGKILL when a job is cancelled or times out. */
    public long killWaitSec = 10;
    /** Also set SLURM_* aliases of the CRANE_* job variables. */
    public boolean slurmCompatibleEnv;
    /** GPUs of this machine handed out as CUDA_VISIBLE_DEVICES; -1 asks nvidia-smi. */
    public int nodeGpus = -1;
    // ---- node daemons (craned over the network; crane-server's NodeManager)
    /** Jobs run on remote craned daemons that register and heartbeat; excludes LocalExecutor and SimulatedNodes. */
    public boolean nodeDaemons;
    /** Seconds of silence (no heartbeat, no registration) after which a node is set DOWN (Slurm's SlurmdTimeout). */
    public long nodeTimeoutSec = 30;
    /**
     * What a registering node's DOWN state becomes: 0 stays DOWN until an operator resumes it; 1 (default) resumes a
     * node the controller set DOWN because it was not responding; 2 resumes any DOWN node (Slurm's ReturnToService).
     */
    public int returnToService = 1;
    // ---- who may own jobs (see JobUserPolicy): system accounts never run jobs
    /** Users whose uid is below this are refused (unless in {@link #allowedSystemUsers}); uid 0 always is. */
    public int minJobUid = JobUserPolicy.DEFAULT_MIN_UID;
    /** Names that never own jobs, whatever their uid. */
    public Set<String> deniedJobUsers = new LinkedHashSet<>(JobUserPolicy.DEFAULT_DENIED);
    /** Names exempt from {@link #minJobUid} (never from the uid-0 rule). */
    public Set<String> allowedSystemUsers = new LinkedHashSet<>();
    /** Lets uid 0 own jobs and drops root from the deny list: single-user test machines only. */
    public boolean allowRootJobs;
    // ---- daemon files: read by bin/cranectld (pid file and log), accepted here so one file configures the daemon
    /** Directory of cranectld.pid (the script's default /var/run/crane; $CRANECTLD_RUN_DIR wins). */
    public Path runDir;
    /** Directory of cranectld.log (the script's default /var/log/crane; $CRANECTLD_LOG_DIR wins). */
    public Path logDir;

    /** The job-user policy these settings describe, with this machine's password database. */
    public JobUserPolicy jobUserPolicy() {
        return JobUserPolicy.of(minJobUid, deniedJobUsers, allowedSystemUsers, allowRootJobs);
    }

    public record NodeDef(String names, int cpus, long memMb, String gres, Set<String> features) {
    }

    /**
     * A partition definition; {@code preemptMode} null means the cluster's {@link #preemptMode}; {@code defMemPerCpuMb}
     * 0 means the cluster's {@link #defMemPerCpuMb}.
     */
    public record PartitionDef(String name, String nodes, boolean isDefault, int priorityTier, long maxTimeSec, long defaultTimeSec,
                               PreemptMode preemptMode, long defMemPerCpuMb) {
        public PartitionDef(String name, String nodes, boolean isDefault, int priorityTier, long maxTimeSec, long defaultTimeSec) {
            this(name, nodes, isDefault, priorityTier, maxTimeSec, defaultTimeSec, null, 0);
        }

        public PartitionDef(String name, String nodes, boolean isDefault, int priorityTier, long maxTimeSec, long defaultTimeSec,
                            PreemptMode preemptMode) {
            this(name, nodes, isDefault, priorityTier, maxTimeSec, defaultTimeSec, preemptMode, 0);
        }
    }

    public final List<NodeDef> nodeDefs = new ArrayList<>();
    public final List<PartitionDef> partitionDefs = new ArrayList<>();

    public CtldConfig node(String names, int cpus, String mem, String gres) {
        nodeDefs.add(new NodeDef(names, cpus, TimeSpec.parseMemMb("mem", mem), gres, Set.of()));
        return this;
    }

    public CtldConfig partition(String name, String nodes, int priorityTier, String maxTime) {
        partitionDefs.add(new PartitionDef(name, nodes, partitionDefs.isEmpty(), priorityTier,
                maxTime == null ? 0 : TimeSpec.parseDuration("maxtime", maxTime), 0));
        return this;
    }

    public static CtldConfig load(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    public static CtldConfig parse(String text) {
        CtldConfig c = new CtldConfig();
        int lineNo = 0;
        for (String raw : text.split("\n")) {
            lineNo++;
            String line = raw.strip();
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash).strip();
            if (line.isEmpty()) continue;
            try {
                if (line.startsWith("Node ") || line.startsWith("Partition ")) {
                    Map<String, String> kv = new LinkedHashMap<>();
                    for (String tok : line.substring(line.indexOf(' ') + 1).trim().split("\\s+")) {
                        int eq = tok.indexOf('=');
                        if (eq < 1) throw CtldException.invalid("config", "expected key=value, got '" + tok + "'");
                        kv.put(tok.substring(0, eq).toLowerCase(), tok.substring(eq + 1));
                    }
                    if (line.startsWith("Node ")) {
                        Set<String> feats = new LinkedHashSet<>();
                        if (kv.containsKey("features")) feats.addAll(Arrays.asList(kv.get("features").split(",")));
                        c.nodeDefs.add(new NodeDef(req(kv, "name"), Integer.parseInt(req(kv, "cpus")),
                                TimeSpec.parseMemMb("mem", req(kv, "mem")), kv.get("gres"), feats));
                    } else {
                        c.partitionDefs.add(new PartitionDef(req(kv, "name"), req(kv, "nodes"),
                                "yes".equalsIgnoreCase(kv.getOrDefault("default", "no")),
                                Integer.parseInt(kv.getOrDefault("priority", "1")),
                                kv.containsKey("maxtime") ? TimeSpec.parseDuration("maxtime", kv.get("maxtime")) : 0,
                                kv.containsKey("deftime") ? TimeSpec.parseDuration("deftime", kv.get("deftime")) : 0,
                                kv.containsKey("preemptmode") ? PreemptMode.parse("preemptmode", kv.get("preemptmode")) : null,
                                kv.containsKey("defmempercpu") ? positiveMem("defmempercpu", kv.get("defmempercpu")) : 0));
                    }
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq < 1) throw CtldException.invalid("config", "expected Key=Value");
                c.set(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            } catch (RuntimeException e) {
                throw CtldException.invalid("config", "line " + lineNo + ": " + e.getMessage());
            }
        }
        return c;
    }

    private static long positiveMem(String key, String v) {
        long mb = TimeSpec.parseMemMb(key, v);
        if (mb < 1) throw CtldException.invalid("config", key + " must be at least 1M");
        return mb;
    }

    private static String req(Map<String, String> kv, String k) {
        String v = kv.get(k);
        if (v == null) throw CtldException.invalid("config", "missing " + k + "=");
        return v;
    }

    private void set(String key, String v) {
        switch (key) {
            case "ClusterName" -> clusterName = v;
            case "StateDir" -> stateDir = Path.of(v);
            case "SchedulerIntervalMs" -> schedulerIntervalMs = Long.parseLong(v);
            case "BackfillDepth" -> backfillDepth = Integer.parseInt(v);
            case "SchedulerMaxStartAttempts" -> maxStartAttempts = Integer.parseInt(v);
            case "BackfillWindow" -> backfillWindowSec = TimeSpec.parseDuration(key, v);
            case "MaxArraySize" -> maxArraySize = Integer.parseInt(v);
            case "MaxPendingJobs" -> maxPendingJobs = Math.min(4_000_000, Integer.parseInt(v));
            case "DefaultTimeLimit" -> defaultTimeLimitSec = TimeSpec.parseDuration(key, v);
            case "DefMemPerCPU" -> defMemPerCpuMb = positiveMem(key, v);
            case "PriorityWeightAge" -> weightAge = Long.parseLong(v);
            case "PriorityWeightFairShare" -> weightFairShare = Long.parseLong(v);
            case "PriorityWeightJobSize" -> weightJobSize = Long.parseLong(v);
            case "PriorityWeightPartition" -> weightPartition = Long.parseLong(v);
            case "PriorityWeightQOS" -> weightQos = Long.parseLong(v);
            case "PriorityMaxAge" -> priorityMaxAgeSec = TimeSpec.parseDuration(key, v);
            case "PriorityDecayHalfLife" -> fairShareHalfLifeSec = TimeSpec.parseDuration(key, v);
            case "PriorityFavorSmall" -> favorSmall = Boolean.parseBoolean(v);
            case "GpuUsageWeight" -> gpuUsageWeight = Double.parseDouble(v);
            case "MaxRequeue" -> maxRequeue = Integer.parseInt(v);
            case "PreemptMode" -> preemptMode = PreemptMode.parse(key, v);
            case "PreemptMaxSearches" -> {
                preemptMaxSearches = Integer.parseInt(v);
                if (preemptMaxSearches < 0) throw CtldException.invalid("config", "PreemptMaxSearches must not be negative");
            }
            case "HistoryMemoryJobs", "HistoryRetentionJobs" -> {
                historyMemoryJobs = Integer.parseInt(v);
                if (historyMemoryJobs < 0) throw CtldException.invalid("config", key + " must not be negative");
            }
            case "HistoryRetention" -> {
                historyRetentionSec = TimeSpec.parseDuration(key, v);
                if (historyRetentionSec < 86400) throw CtldException.invalid("config", "HistoryRetention must be at least one day (e.g. 365-0)");
            }
            case "HistoryFlushMs" -> {
                historyFlushMs = Long.parseLong(v);
                if (historyFlushMs <= 0) throw CtldException.invalid("config", "HistoryFlushMs must be positive");
            }
            case "SnapshotEveryRecords" -> snapshotEveryRecords = Long.parseLong(v);
            case "ListenAddress" -> listenAddress = v;
            case "ListenPort" -> listenPort = Integer.parseInt(v);
            case "TlsCertFile" -> tlsCertFile = Path.of(v);
            case "TlsKeyFile" -> tlsKeyFile = Path.of(v);
            case "AllowPlaintext" -> allowPlaintext = Boolean.parseBoolean(v);
            case "AuthKeyFile" -> authKeyFile = Path.of(v);
            case "CredentialSocket" -> credentialSocket = v.isEmpty() ? null : Path.of(v);
            case "CredentialTtl" -> credentialTtlSec = TimeSpec.parseDuration(key, v);
            case "CredentialDefaultAccount" -> credentialDefaultAccount = v.isEmpty() ? null : v;
            case "SimulatedNodes" -> simulatedNodes = Boolean.parseBoolean(v);
            case "MinPassGapMs" -> minPassGapMs = Long.parseLong(v);
            case "LocalExecutor" -> localExecutor = Boolean.parseBoolean(v);
            case "SpoolDir" -> spoolDir = Path.of(v);
            case "RunJobsAsUser" -> runJobsAsUser = Boolean.parseBoolean(v);
            case "Cgroups" -> {
                if (!v.matches("auto|off|required")) throw CtldException.invalid("config", "Cgroups must be auto, off or required");
                cgroups = v;
            }
            case "KillWait" -> killWaitSec = Long.parseLong(v);
            case "SlurmCompatibleEnv" -> slurmCompatibleEnv = Boolean.parseBoolean(v);
            case "NodeGpus" -> nodeGpus = Integer.parseInt(v);
            case "NodeDaemons" -> nodeDaemons = Boolean.parseBoolean(v);
            case "NodeTimeout" -> nodeTimeoutSec = Long.parseLong(v);
            case "ReturnToService" -> {
                if (!v.matches("[012]")) throw CtldException.invalid("config", "ReturnToService must be 0, 1 or 2");
                returnToService = Integer.parseInt(v);
            }
            case "MinJobUid" -> {
                minJobUid = Integer.parseInt(v);
                if (minJobUid < 0) throw CtldException.invalid("config", "MinJobUid must not be negative");
            }
            case "DeniedJobUsers" -> deniedJobUsers = names(v);
            case "AllowedSystemUsers" -> allowedSystemUsers = names(v);
            case "AllowRootJobs" -> allowRootJobs = Boolean.parseBoolean(v);
            case "RunDir" -> runDir = Path.of(v);
            case "LogDir" -> logDir = Path.of(v);
            default -> throw CtldException.invalid("config", "unknown key '" + key + "'");
        }
    }

    /** A comma-separated list of user names; empty is the empty set. */
    public static Set<String> names(String v) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : v.split(",")) if (!n.isBlank()) out.add(n.strip());
        return out;
    }

    /** The immutable cluster layout built from the definitions. */
    public static final class Cluster {
        public final Node[] nodes;
        public final Partition[] partitions;
        public final Map<String, Integer> nodeIndex = new HashMap<>();
        public final Map<String, Partition> partitionByName = new LinkedHashMap<>();
        public final GresRegistry gres = new GresRegistry();
        public final Partition defaultPartition;

        Cluster(CtldConfig c) {
            if (c.nodeDefs.isEmpty()) throw CtldException.invalid("config", "no nodes defined");
            if (c.partitionDefs.isEmpty()) throw CtldException.invalid("config", "no partitions defined");
            List<String[]> parsedGres = new ArrayList<>();
            for (NodeDef d : c.nodeDefs) {
                if (d.gres() == null || d.gres().isBlank()) continue;
                for (String g : d.gres().split(",")) {
                    String[] p = g.trim().split(":");
                    if (p.length != 3) throw CtldException.invalid("gres", "node GRES must be name:type:count, got '" + g + "'");
                    gres.register(p[0], p[1]);
                    parsedGres.add(p);
                }
            }
            List<Node> list = new ArrayList<>();
            for (NodeDef d : c.nodeDefs) {
                if (d.cpus() < 1 || d.memMb() < 1) throw CtldException.invalid("node", d.names() + ": cpus and mem must be positive");
                for (String n : HostList.expand("node", d.names())) {
                    int[] g = new int[gres.size()];
                    if (d.gres() != null && !d.gres().isBlank()) {
                        for (String x : d.gres().split(",")) {
                            String[] p = x.trim().split(":");
                            int cnt = Integer.parseInt(p[2]);
                            if (cnt < 0) throw CtldException.invalid("gres", "negative count in '" + x + "'");
                            g[gres.register(p[0], p[1])] += cnt;
                        }
                    }
                    if (nodeIndex.containsKey(n)) throw CtldException.invalid("node", "duplicate node '" + n + "'");
                    nodeIndex.put(n, list.size());
                    list.add(new Node(list.size(), n, d.cpus(), d.memMb(), g, d.features()));
                }
            }
            nodes = list.toArray(new Node[0]);
            partitions = new Partition[c.partitionDefs.size()];
            Partition def = null;
            for (int i = 0; i < partitions.length; i++) {
                PartitionDef d = c.partitionDefs.get(i);
                List<String> names = HostList.expand("partition.nodes", d.nodes());
                int[] idx = new int[names.size()];
                for (int k = 0; k < idx.length; k++) {
                    Integer x = nodeIndex.get(names.get(k));
                    if (x == null) throw CtldException.invalid("partition", d.name() + ": unknown node '" + names.get(k) + "'");
                    idx[k] = x;
                }
                Partition p = new Partition(i, d.name(), nodes, idx, d.priorityTier(), d.maxTimeSec(),
                        d.defaultTimeSec() > 0 ? d.defaultTimeSec() : c.defaultTimeLimitSec, d.isDefault(),
                        d.preemptMode() != null ? d.preemptMode() : c.preemptMode,
                        d.defMemPerCpuMb() > 0 ? d.defMemPerCpuMb() : c.defMemPerCpuMb);
                if (partitionByName.put(p.name, p) != null) throw CtldException.invalid("partition", "duplicate '" + p.name + "'");
                for (int n : idx) nodes[n].partitions.add(p);
                partitions[i] = p;
                if (d.isDefault() && def == null) def = p;
            }
            defaultPartition = def != null ? def : partitions[0];
        }
    }

    public Cluster buildCluster() {
        return new Cluster(this);
    }
}
