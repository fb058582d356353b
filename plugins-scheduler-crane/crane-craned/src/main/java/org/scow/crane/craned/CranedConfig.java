package org.scow.crane.craned;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.scow.crane.executor.Cgroups;
import org.scow.crane.executor.ExecutorConfig;
import org.scow.crane.executor.Gpus;
import org.scow.crane.protocol.JobUserPolicy;
import org.scow.crane.protocol.TimeSpec;

/**
 * {@code craned.conf}: one {@code Key=value} per line, {@code #} starts a comment. In {@code SpoolDir} and
 * {@code CredentialFile}, {@code %n} stands for the node name, so one file can serve several daemons on one machine
 * ({@code craned --node cn02}).
 */
public final class CranedConfig {
    /** This node's name as the controller's configuration spells it; default: the short host name. */
    public String nodeName;
    public String controllerAddress = "127.0.0.1";
    public int controllerPort = 10011;
    /** PEM certificate of the controller (or its CA): speak TLS to it; null: plaintext (a controller on loopback). */
    public String controllerTlsTrustFile;
    /** A node credential for this node ({@code cranectld credential --scope node --principal NAME}). */
    public String credentialFile = "/etc/crane/%n.cred";
    /** The credential itself (tests, embedded use); wins over {@link #credentialFile}. */
    public String credential;
    public String spoolDir = "/var/spool/crane/%n";
    /** 0: every processor of the machine. */
    public int cpus;
    /** MiB; 0: MemTotal of /proc/meminfo. */
    public long memMb;
    /** -1: as many as {@link #gpuDevices} lists, else count {@code nvidia-smi -L} (0 without it). */
    public int gpus = -1;
    /** {@code GpuDevices=/dev/nvidia0,/dev/nvidia1}: GPU i's device file; null: {@code /dev/nvidia<i>}. */
    public List<Path> gpuDevices;
    /** {@code GpuSharedDevices=}: files of every GPU job (empty: none); null: /dev/nvidiactl, /dev/nvidia-uvm*. */
    public List<Path> gpuSharedDevices;
    public long heartbeatMs = 5000;
    public boolean runJobsAsUser = true;
    public Cgroups.Mode cgroups = Cgroups.Mode.AUTO;
    public long killWaitMs = 10_000;
    public boolean slurmCompatibleEnv;
    public String clusterName = "crane";
    /** Defence in depth (the controller checks first): jobs of uid 0, of uids below this or of these names fail. */
    public int minJobUid = JobUserPolicy.DEFAULT_MIN_UID;
    public Set<String> deniedJobUsers = JobUserPolicy.DEFAULT_DENIED;
    public Set<String> allowedSystemUsers = Set.of();
    public boolean allowRootJobs;
    /** Directories of craned-<node>.pid and .log, read by bin/craned ($CRANED_RUN_DIR / $CRANED_LOG_DIR win). */
    public String runDir = "/var/run/crane";
    public String logDir = "/var/log/crane";

    public static CranedConfig load(Path file) throws IOException {
        CranedConfig c = new CranedConfig();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            int hash = l.indexOf('#');
            if (hash >= 0) l = l.substring(0, hash);
            l = l.trim();
            if (l.isEmpty()) continue;
            int eq = l.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected Key=value");
            try {
                c.set(l.substring(0, eq).trim(), l.substring(eq + 1).trim());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return c;
    }

    public CranedConfig set(String key, String v) {
        switch (key) {
            case "NodeName" -> nodeName = v.isEmpty() ? null : v;
            case "ControllerAddress" -> controllerAddress = v;
            case "ControllerPort" -> controllerPort = Integer.parseInt(v);
            case "ControllerTlsTrustFile" -> controllerTlsTrustFile = v.isEmpty() ? null : v;
            case "CredentialFile" -> credentialFile = v;
            case "SpoolDir" -> spoolDir = v;
            case "CPUs" -> cpus = Integer.parseInt(v);
            case "Memory" -> memMb = v.isEmpty() || v.equals("0") ? 0 : TimeSpec.parseMemMb("Memory", v);
            case "Gpus" -> gpus = Integer.parseInt(v);
            case "GpuDevices" -> gpuDevices = v.isEmpty() ? null : paths(v);
            case "GpuSharedDevices" -> gpuSharedDevices = paths(v);
            case "HeartbeatInterval" -> heartbeatMs = Math.max(50, Math.round(Double.parseDouble(v) * 1000));
            case "RunJobsAsUser" -> runJobsAsUser = Boolean.parseBoolean(v);
            case "Cgroups" -> cgroups = Cgroups.Mode.valueOf(v.toUpperCase(Locale.ROOT));
            case "KillWait" -> killWaitMs = Long.parseLong(v) * 1000;
            case "SlurmCompatibleEnv" -> slurmCompatibleEnv = Boolean.parseBoolean(v);
            case "ClusterName" -> clusterName = v;
            case "MinJobUid" -> {
                minJobUid = Integer.parseInt(v);
                if (minJobUid < 0) throw new IllegalArgumentException("MinJobUid must not be negative");
            }
            case "DeniedJobUsers" -> deniedJobUsers = names(v);
            case "AllowedSystemUsers" -> allowedSystemUsers = names(v);
            case "AllowRootJobs" -> allowRootJobs = Boolean.parseBoolean(v);
            case "RunDir" -> runDir = v;
            case "LogDir" -> logDir = v;
            default -> throw new IllegalArgumentException("unknown key '" + key + "'");
        }
        return this;
    }

    private static Set<String> names(String commaSeparated) {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (String n : commaSeparated.split(",")) if (!n.isBlank()) out.add(n.strip());
        return out;
    }

    private static List<Path> paths(String commaSeparated) {
        return commaSeparated.isBlank() ? List.of()
                : java.util.Arrays.stream(commaSeparated.split(",")).map(String::trim).map(Path::of).toList();
    }

    /** The node name: configured, else the short host name. */
    public String node() {
        if (nodeName != null) return nodeName;
        try {
            String h = InetAddress.getLocalHost().getHostName();
            int dot = h.indexOf('.');
            return dot > 0 ? h.substring(0, dot) : h;
        } catch (IOException e) {
            return "localhost";
        }
    }

    String expand(String pattern) {
        return pattern.replace("%n", node());
    }

    public Path spool() {
        return Path.of(expand(spoolDir));
    }

    public int realCpus() {
        return cpus > 0 ? cpus : Runtime.getRuntime().availableProcessors();
    }

    public long realMemMb() {
        if (memMb > 0) return memMb;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return 1024;
    }

    public int realGpus() {
        return gpus >= 0 ? gpus : gpuDevices != null ? gpuDevices.size() : Gpus.discover();
    }

    /** The executor settings; job cgroups go under {@code crane/<node>} so several daemons on one machine never meet. */
    ExecutorConfig executorConfig(int gpuCount) {
        return new ExecutorConfig().spoolDir(spool()).runAsUser(runJobsAsUser).cgroups(cgroups)
                .cgroupSubdir("crane/" + node()).killWaitMs(killWaitMs).slurmCompatibleEnv(slurmCompatibleEnv)
                .gpus(gpuCount).gpuDevices(gpuDevices).gpuSharedDevices(gpuSharedDevices).clusterName(clusterName)
                .minJobUid(minJobUid).deniedJobUsers(deniedJobUsers).allowedSystemUsers(allowedSystemUsers)
                .allowRootJobs(allowRootJobs);
    }
}
