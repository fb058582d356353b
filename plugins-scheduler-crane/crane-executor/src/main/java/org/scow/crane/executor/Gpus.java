package org.scow.crane.executor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The node's GPUs, handed out by index. The controller allocates counts; the node picks which devices.
 *
 * <p>It also knows the GPUs' device files, so that a job's devices cgroup can deny the GPUs it was not given:
 * {@code perGpu.get(i)} is GPU i's device file (null when it does not exist: nothing to protect), {@code shared}
 * are the control devices every GPU job needs and CPU-only jobs must not open (NVIDIA: {@code /dev/nvidiactl},
 * {@code /dev/nvidia-uvm*}).
 */
public final class Gpus {
    /** A device file as the devices controller names it: type ({@code c} or {@code b}), major and minor number. */
    record Device(Path path, char type, int major, int minor) {
        private static final int S_IFMT = 0170000;
        private static final int S_IFCHR = 0020000;
        private static final int S_IFBLK = 0060000;

        /** Reads type and number of a device file; a missing file or one that is not a device is an error. */
        static Device of(Path p) throws IOException {
            int mode = (Integer) Files.getAttribute(p, "unix:mode");
            char type = switch (mode & S_IFMT) {
                case S_IFCHR -> 'c';
                case S_IFBLK -> 'b';
                default -> throw new IOException(p + " is not a device file");
            };
            long rdev = (Long) Files.getAttribute(p, "unix:rdev");
            // glibc's gnu_dev_major/minor for the 32-bit encoding Linux uses in stat
            int major = (int) ((rdev >> 8) & 0xfff);
            int minor = (int) ((rdev & 0xff) | ((rdev >> 12) & 0xfff00));
            return new Device(p, type, major, minor);
        }

        /** The rule line for {@code devices.allow} / {@code devices.deny}: read, write and mknod. */
        String rule() {
            return type + " " + major + ":" + minor + " rwm";
        }

        String number() {
            return type + " " + major + ":" + minor;
        }
    }

    private final int total;
    private final List<Device> perGpu;
    private final List<Device> shared;
    private final BitSet used = new BitSet();

    Gpus(int total) {
        this(total, List.of(), List.of());
    }

    private Gpus(int total, List<Device> perGpu, List<Device> shared) {
        this.total = Math.max(0, total);
        this.perGpu = perGpu;
        this.shared = shared;
    }

    /**
     * The node's GPUs and their device files.
     *
     * @param count    GPUs on the node; -1: as many as {@code devices} lists, else {@link #discover()}
     * @param devices  GPU i's device file at index i; null: {@code /dev/nvidia<i>}, where a missing file is skipped
     *                 (its GPU cannot be opened anyway). Listed files must exist and be device files.
     * @param sharedDevices device files every GPU job may use and CPU-only jobs may not; null: {@code /dev/nvidiactl}
     *                 and {@code /dev/nvidia-uvm*} as far as they exist. Listed files must exist.
     * @throws IllegalArgumentException on a list that does not fit the count, a listed file that is not a device,
     *                 or two entries with the same device number (their rules would contradict each other)
     */
    static Gpus resolve(int count, List<Path> devices, List<Path> sharedDevices) {
        int n = count >= 0 ? count : devices != null ? devices.size() : discover();
        if (devices != null && devices.size() != n) {
            throw new IllegalArgumentException("the GPU device list names " + devices.size() + " device file(s) "
                    + devices + ", but the node has " + n + " GPU(s): list one device file per GPU, in index order");
        }
        if (n == 0) return new Gpus(0);
        List<Device> per = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            per.add(devices != null ? configured("GPU " + i, devices.get(i)) : existing(Path.of("/dev/nvidia" + i)));
        }
        List<Device> sh = new ArrayList<>();
        if (sharedDevices != null) {
            for (Path p : sharedDevices) sh.add(configured("shared GPU device", p));
        } else {
            Device ctl = existing(Path.of("/dev/nvidiactl"));
            if (ctl != null) sh.add(ctl);
            try (DirectoryStream<Path> uvm = Files.newDirectoryStream(Path.of("/dev"), "nvidia-uvm*")) {
                for (Path p : uvm) {
                    Device d = existing(p);
                    if (d != null) sh.add(d);
                }
            } catch (IOException noDev) {
                // no /dev listing: no shared devices to protect
            }
        }
        Map<String, Path> seen = new HashMap<>();
        for (List<Device> l : List.of(per, sh)) {
            for (Device d : l) {
                if (d == null) continue;
                Path before = seen.putIfAbsent(d.number(), d.path());
                if (before != null) {
                    throw new IllegalArgumentException("GPU device files " + before + " and " + d.path()
                            + " are the same device (" + d.number() + "): a job could not be given one and denied the other");
                }
            }
        }
        // a missing default device file stays a null slot so indices stay aligned (List.copyOf refuses nulls)
        return new Gpus(n, Collections.unmodifiableList(per), List.copyOf(sh));
    }

    private static Device configured(String what, Path p) {
        try {
            return Device.of(p);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalArgumentException(what + ": " + p + " is not a usable device file (" + e.getMessage() + ")", e);
        }
    }

    private static Device existing(Path p) {
        try {
            return Files.exists(p) ? Device.of(p) : null;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** GPUs reported by {@code nvidia-smi -L} (one line per device), or 0 when it is absent or fails. */
    public static int discover() {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return 0;
            return (int) out.lines().filter(l -> l.startsWith("GPU ")).count();
        } catch (Exception absent) {
            return 0;
        }
    }

    int total() {
        return total;
    }

    /** True when some GPU or control device file exists, i.e. a devices cgroup has something to deny. */
    boolean hasDeviceFiles() {
        return !shared.isEmpty() || perGpu.stream().anyMatch(d -> d != null);
    }

    /** GPUs without a device file (only with the default paths), for the log. */
    List<Integer> withoutDeviceFile() {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < perGpu.size(); i++) if (perGpu.get(i) == null) l.add(i);
        return l;
    }

    /** Every device file the devices cgroup of a job rules on. */
    List<Device> allDevices() {
        List<Device> l = new ArrayList<>(shared);
        for (Device d : perGpu) if (d != null) l.add(d);
        return l;
    }

    /** The device files a job given GPUs {@code given} may open: its GPUs, plus the shared ones when it has any. */
    List<Device> allowed(List<Integer> given) {
        List<Device> l = new ArrayList<>();
        if (!given.isEmpty()) l.addAll(shared);
        for (int i : given) {
            if (i < perGpu.size() && perGpu.get(i) != null) l.add(perGpu.get(i));
        }
        return l;
    }

    /** The device files a job given GPUs {@code given} must not open: the other GPUs, and the shared ones for a CPU job. */
    List<Device> denied(List<Integer> given) {
        List<Device> l = new ArrayList<>();
        if (given.isEmpty()) l.addAll(shared);
        for (int i = 0; i < perGpu.size(); i++) {
            if (perGpu.get(i) != null && !given.contains(i)) l.add(perGpu.get(i));
        }
        return l;
    }

    /** Takes {@code n} free GPUs, lowest first; fewer when the node has fewer free (the controller prevents that). */
    synchronized List<Integer> take(int n) {
        List<Integer> l = new ArrayList<>(n);
        for (int i = used.nextClearBit(0); i < total && l.size() < n; i = used.nextClearBit(i + 1)) {
            used.set(i);
            l.add(i);
        }
        return l;
    }

    /**
     * Takes exactly the GPUs a re-adopted job was recorded with, so new jobs do not get them. An index that is out
     * of range or already taken (a spool that does not match this node's configuration) is replaced by a free one.
     */
    synchronized List<Integer> takeRecorded(List<Integer> recorded) {
        List<Integer> l = new ArrayList<>(recorded.size());
        int missing = 0;
        for (int i : recorded) {
            if (i >= 0 && i < total && !used.get(i)) {
                used.set(i);
                l.add(i);
            } else {
                missing++;
            }
        }
        l.addAll(take(missing));
        return l;
    }

    synchronized void give(List<Integer> l) {
        for (int i : l) used.clear(i);
    }
}
