package org.scow.crane.craned;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The node's GPUs, handed out by index. The controller allocates counts; the node picks which devices. */
public final class Gpus {
    private final int total;
    private final BitSet used = new BitSet();

    Gpus(int total) {
        this.total = Math.max(0, total);
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

    /** Takes {@code n} free GPUs, lowest first; fewer when the node has fewer free (the controller prevents that). */
    synchronized List<Integer> take(int n) {
        List<Integer> l = new ArrayList<>(n);
        for (int i = used.nextClearBit(0); i < total && l.size() < n; i = used.nextClearBit(i + 1)) {
            used.set(i);
            l.add(i);
        }
        return l;
    }

    synchronized void give(List<Integer> l) {
        for (int i : l) used.clear(i);
    }
}
