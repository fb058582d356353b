package org.scow.crane.executor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cgroup v1 hierarchies jobs are put into: {@code cpu} (CFS quota = allocated CPUs), {@code memory}
 * (limit and memory+swap limit = the job's memory, so a job cannot escape its limit into swap) and, on a node with
 * GPU device files, {@code devices} (a job may open the device files of its own GPUs only; see {@link Gpus}).
 *
 * <p>Job groups live under {@code <mount>/<our own cgroup>/crane/job_<id>}: below the executor's own group rather
 * than at the root, so whatever accounts for the executor (a systemd unit, a container) also accounts for its jobs,
 * the way systemd delegation works. cgroup v2 (a unified hierarchy with controllers) is not implemented; on such a
 * machine, or when the tree is not writable, jobs run without limits (see {@link Mode#AUTO}). cgroup v2 has no
 * devices files at all: there, device access is decided by an eBPF program attached to the group.
 */
public final class Cgroups {
    /** How the executor uses cgroups. */
    public enum Mode {
        /** Use cgroups when the tree is writable, else run without limits and say so once in the log. */
        AUTO,
        /** Never use cgroups: no CPU or memory limits, no OOM detection; the process tree is found by session. */
        OFF,
        /** Refuse to start without writable cgroups. */
        REQUIRED
    }

    private static final String[] CONTROLLERS = {"memory", "cpu"};
    /** Below this a job's shell could not even start; smaller requests get this much. */
    static final long MIN_MEMORY_BYTES = 16L << 20;

    private final Path memoryBase;
    private final Path cpuBase;
    /** Null when jobs get no devices group (not asked for, or unusable: see {@link #devicesProblem}). */
    private final Path devicesBase;
    private final String devicesProblem;

    private Cgroups(Path memoryBase, Path cpuBase, Path devicesBase, String devicesProblem) {
        this.memoryBase = memoryBase;
        this.cpuBase = cpuBase;
        this.devicesBase = devicesBase;
        this.devicesProblem = devicesProblem;
    }

    /** The job hierarchy without device control; see {@link #open(String, List)}. */
    public static Cgroups open(String subdir) throws IOException {
        return open(subdir, List.of());
    }

    /**
     * Finds and creates the job hierarchy. Throws with the reason when cgroups cannot be used (no v1 mounts of
     * {@code memory} and {@code cpu}, or not writable).
     *
     * @param devices the device files job groups will rule on; when there are any, the {@code devices} hierarchy is
     *                set up too. Its absence does not fail the call: {@link #devicesProblem()} says why it is unused.
     */
    static Cgroups open(String subdir, List<Gpus.Device> devices) throws IOException {
        Map<String, Path> mounts = v1Mounts();
        Map<String, String> own = ownGroups();
        Path[] bases = new Path[CONTROLLERS.length];
        for (int i = 0; i < CONTROLLERS.length; i++) bases[i] = base(mounts, own, CONTROLLERS[i], subdir);
        Path devicesBase = null;
        String problem = null;
        if (!devices.isEmpty()) {
            try {
                devicesBase = base(mounts, own, "devices", subdir);
                problem = wildcardProblem(Files.readAllLines(devicesBase.resolve("devices.list")), devices);
                if (problem != null) devicesBase = null;
            } catch (IOException e) {
                problem = e.getMessage();
            }
        }
        return new Cgroups(bases[0], bases[1], devicesBase, problem);
    }

    private static Path base(Map<String, Path> mounts, Map<String, String> own, String controller, String subdir) throws IOException {
        Path mount = mounts.get(controller);
        if (mount == null) throw new IOException("no cgroup v1 '" + controller + "' hierarchy is mounted");
        String rel = own.getOrDefault(controller, "/").replaceFirst("^/", "");
        Path base = mount.resolve(rel).resolve(subdir);
        try {
            Files.createDirectories(base);
        } catch (IOException e) {
            throw new IOException("cgroup directory " + base + " is not writable: " + e.getMessage(), e);
        }
        if (!Files.isWritable(base.resolve("cgroup.procs"))) throw new IOException(base + "/cgroup.procs is not writable");
        return base;
    }

    /**
     * Why per-device deny rules would not take effect under a group whose {@code devices.list} is {@code list}, or
     * null when they do. A group that allows everything ({@code a *:* rwm}, the normal case) lists nothing else, and
     * a deny rule adds an exception. A group in allow-list mode (e.g. inside a container) lists what it allows, and
     * a deny rule only removes an exactly equal entry: a wildcard entry such as {@code c 195:* rwm} would keep
     * every GPU open.
     */
    static String wildcardProblem(List<String> list, List<Gpus.Device> devices) {
        if (list.size() == 1 && list.get(0).trim().equals("a *:* rwm")) return null;
        for (String line : list) {
            String[] f = line.trim().split("[ :]");
            if (f.length < 3) continue;
            boolean wildMajor = f[1].equals("*");
            boolean wildMinor = f[2].equals("*");
            if (!wildMajor && !wildMinor && !f[0].equals("a")) continue; // exact entries are removed by a deny
            for (Gpus.Device d : devices) {
                boolean typeOk = f[0].equals("a") || f[0].charAt(0) == d.type();
                boolean majorOk = wildMajor || f[1].equals(Integer.toString(d.major()));
                boolean minorOk = wildMinor || f[2].equals(Integer.toString(d.minor()));
                if (typeOk && majorOk && minorOk) {
                    return "the executor's devices cgroup allows " + d.path() + " through the wildcard rule '"
                            + line.trim() + "', which a per-device deny cannot narrow";
                }
            }
        }
        return null;
    }

    /** Whether job groups get a devices group. */
    boolean devicesActive() {
        return devicesBase != null;
    }

    /** Why device files were asked for but the devices hierarchy is not used; null otherwise. */
    String devicesProblem() {
        return devicesProblem;
    }

    /** controller -> mount point, from {@code /proc/self/mountinfo} (a combined {@code cpu,cpuacct} mount counts for both). */
    private static Map<String, Path> v1Mounts() throws IOException {
        Map<String, Path> m = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            int sep = line.indexOf(" - ");
            if (sep < 0) continue;
            String[] left = line.substring(0, sep).split(" ");
            String[] right = line.substring(sep + 3).split(" ");
            if (right.length < 3 || !right[0].equals("cgroup")) continue;
            for (String opt : right[2].split(",")) m.putIfAbsent(opt, Path.of(left[4]));
        }
        return m;
    }

    /** controller -> this process's group path, from {@code /proc/self/cgroup}. */
    private static Map<String, String> ownGroups() throws IOException {
        Map<String, String> m = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"), StandardCharsets.UTF_8)) {
            String[] f = line.split(":", 3);
            if (f.length < 3) continue;
            for (String c : f[1].split(",")) if (!c.isEmpty()) m.put(c, f[2]);
        }
        return m;
    }

    /** Creates (or re-opens) the groups of a job and sets its limits; {@code memMb} 0 means no memory limit. */
    public JobCgroup create(long jobId, int cpus, long memMb) throws IOException {
        return create(jobId, cpus, memMb, List.of(), List.of());
    }

    /**
     * Creates (or re-opens) the groups of a job and sets its limits; {@code memMb} 0 means no memory limit. With the
     * devices hierarchy active, the job may open {@code allow} and not {@code deny} (errno EPERM on open).
     */
    JobCgroup create(long jobId, int cpus, long memMb, List<Gpus.Device> allow, List<Gpus.Device> deny) throws IOException {
        JobCgroup g = open(jobId);
        Files.createDirectories(g.memory);
        Files.createDirectories(g.cpu);
        if (g.devices != null) {
            Files.createDirectories(g.devices);
            // allow first: in a re-opened group (an earlier run of the job) it lifts that run's deny rules
            for (Gpus.Device d : allow) write(g.devices.resolve("devices.allow"), d.rule());
            for (Gpus.Device d : deny) write(g.devices.resolve("devices.deny"), d.rule());
        }
        if (cpus > 0) {
            long period = 100_000;
            write(g.cpu.resolve("cpu.cfs_period_us"), Long.toString(period));
            write(g.cpu.resolve("cpu.cfs_quota_us"), Long.toString(period * cpus));
            write(g.cpu.resolve("cpu.shares"), Long.toString(1024L * cpus));
        }
        if (memMb > 0) {
            String bytes = Long.toString(Math.max(MIN_MEMORY_BYTES, memMb << 20));
            // memory first: memory+swap may never be below it
            write(g.memory.resolve("memory.limit_in_bytes"), bytes);
            Path memsw = g.memory.resolve("memory.memsw.limit_in_bytes");
            if (Files.exists(memsw)) write(memsw, bytes); // absent when the kernel does not account swap
        }
        return g;
    }

    /** The groups of a job, whether or not they exist. */
    public JobCgroup open(long jobId) {
        return new JobCgroup(memoryBase.resolve("job_" + jobId), cpuBase.resolve("job_" + jobId),
                devicesBase != null ? devicesBase.resolve("job_" + jobId) : null);
    }

    /** Job ids that have a group (left from an earlier run of the executor). */
    public List<Long> existingJobs() throws IOException {
        List<Long> ids = new ArrayList<>();
        try (var s = Files.list(memoryBase)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith("job_") && Files.isDirectory(p)) {
                    try {
                        ids.add(Long.parseLong(n.substring(4)));
                    } catch (NumberFormatException ignored) {
                        // not ours
                    }
                }
            }
        }
        return ids;
    }

    static void write(Path file, String value) throws IOException {
        Files.writeString(file, value, StandardCharsets.US_ASCII);
    }

    /** One job's groups. */
    public static final class JobCgroup {
        final Path memory;
        final Path cpu;
        /** Null without device control. */
        final Path devices;

        JobCgroup(Path memory, Path cpu, Path devices) {
            this.memory = memory;
            this.cpu = cpu;
            this.devices = devices;
        }

        /** Moves a process into the job's groups; its future children are born inside. */
        public void join(long pid) throws IOException {
            write(memory.resolve("cgroup.procs"), Long.toString(pid));
            write(cpu.resolve("cgroup.procs"), Long.toString(pid));
            if (devices != null) write(devices.resolve("cgroup.procs"), Long.toString(pid));
        }

        /**
         * Processes in the job's memory group (every job process is in it), including its steps' groups
         * ({@code step_<n>} inside it, see {@link StepLauncher}): ending a job ends its steps.
         */
        public List<Long> pids() {
            List<Long> l = new ArrayList<>();
            addPids(memory, l);
            for (Path child : children(memory)) addPids(child, l);
            return l;
        }

        private static void addPids(Path group, List<Long> l) {
            try {
                for (String s : Files.readAllLines(group.resolve("cgroup.procs"))) if (!s.isBlank()) l.add(Long.parseLong(s.trim()));
            } catch (IOException | NumberFormatException gone) {
                // the group is gone: no processes
            }
        }

        /** Sub-groups (the steps' groups). */
        private static List<Path> children(Path group) {
            List<Path> l = new ArrayList<>();
            if (group == null) return l;
            try (var s = Files.list(group)) {
                s.filter(Files::isDirectory).forEach(l::add);
            } catch (IOException gone) {
                // no group, no children
            }
            return l;
        }

        /** How many processes the kernel's OOM killer ended in this group ({@code oom_kill} of memory.oom_control). */
        public long oomKills() {
            try {
                for (String s : Files.readAllLines(memory.resolve("memory.oom_control"))) {
                    if (s.startsWith("oom_kill ")) return Long.parseLong(s.substring(9).trim());
                }
            } catch (IOException | NumberFormatException gone) {
                // no group, no kills
            }
            return 0;
        }

        /** Removes the (empty) groups; a group that still has processes stays and the call says false. */
        public boolean remove() {
            boolean ok = true;
            for (Path p : new Path[] {memory, cpu, devices}) {
                if (p == null) continue;
                for (Path child : children(p)) { // the steps' groups first: a group with sub-groups cannot go
                    try {
                        Files.deleteIfExists(child);
                    } catch (IOException busy) {
                        ok = false;
                    }
                }
                try {
                    Files.deleteIfExists(p);
                } catch (IOException busy) {
                    ok = false;
                }
            }
            return ok;
        }

        @Override
        public String toString() {
            return memory.toString();
        }
    }
}
