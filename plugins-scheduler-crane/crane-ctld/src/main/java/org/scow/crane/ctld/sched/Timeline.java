package org.scow.crane.ctld.sched;

import java.util.Arrays;

/**
 * Free resources of one node over future time: a step function with breakpoints where running jobs end (resources
 * come back) and where reservations begin and end. Segment {@code i} covers {@code [t[i], t[i+1])}; the last one is
 * open-ended. Arrays are reused across scheduling passes, so a pass allocates nothing per node once warmed up.
 */
public final class Timeline {
    private final int g;
    private int n;
    private long[] t = new long[8];
    private int[] cpu = new int[8];
    private long[] mem = new long[8];
    private int[] gres;

    public Timeline(int gresTypes) {
        this.g = gresTypes;
        this.gres = new int[8 * Math.max(1, gresTypes)];
    }

    public void reset(long now, int freeCpu, long freeMem, int[] totalGres, int[] allocGres) {
        n = 1;
        t[0] = now;
        cpu[0] = freeCpu;
        mem[0] = freeMem;
        for (int k = 0; k < g; k++) gres[k] = totalGres[k] - allocGres[k];
    }

    public int segments() {
        return n;
    }

    /** Free CPUs right now (segment 0). */
    public int cpuNow() {
        return cpu[0];
    }

    public int gresNow(int type) {
        return gres[type];
    }

    /** Index of the segment containing {@code time} (time >= t[0]). */
    private int find(long time) {
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (t[mid] <= time) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /** Ensures a breakpoint at {@code time}; returns the index of the segment starting there. */
    private int split(long time) {
        int i = find(time);
        if (t[i] == time) return i;
        if (n == t.length) grow();
        int j = i + 1;
        System.arraycopy(t, j, t, j + 1, n - j);
        System.arraycopy(cpu, j, cpu, j + 1, n - j);
        System.arraycopy(mem, j, mem, j + 1, n - j);
        if (g > 0) System.arraycopy(gres, j * g, gres, (j + 1) * g, (n - j) * g);
        t[j] = time;
        cpu[j] = cpu[i];
        mem[j] = mem[i];
        for (int k = 0; k < g; k++) gres[j * g + k] = gres[i * g + k];
        n++;
        return j;
    }

    private void grow() {
        int c = t.length * 2;
        t = Arrays.copyOf(t, c);
        cpu = Arrays.copyOf(cpu, c);
        mem = Arrays.copyOf(mem, c);
        gres = Arrays.copyOf(gres, c * Math.max(1, g));
    }

    /**
     * Adds {@code dc} CPUs, {@code dm} MiB and {@code dg} of GRES type {@code type} (or none when type < 0) over
     * {@code [from, to)}; {@code to == Long.MAX_VALUE} means forever. Negative deltas reserve.
     */
    public void add(long from, long to, int dc, long dm, int type, int dg) {
        if (from < t[0]) from = t[0];
        if (to <= from) return;
        int a = split(from);
        int b = to == Long.MAX_VALUE ? n : split(to);
        for (int i = a; i < b; i++) {
            cpu[i] += dc;
            mem[i] += dm;
            if (type >= 0) gres[i * g + type] += dg;
        }
    }

    /** True when {@code c} CPUs, {@code m} MiB and {@code cnt} of GRES {@code type} are free over [s, e). */
    public boolean fits(long s, long e, int c, long m, int type, int cnt) {
        for (int i = find(s); i < n && t[i] < e; i++) {
            if (cpu[i] < c || mem[i] < m || (type >= 0 && gres[i * g + type] < cnt)) return false;
        }
        return true;
    }

    /** True when everything ({@code totC}, {@code totM}, all GRES) is free over [s, e): for exclusive jobs. */
    public boolean fitsWhole(long s, long e, int totC, long totM, int[] totG) {
        for (int i = find(s); i < n && t[i] < e; i++) {
            if (cpu[i] < totC || mem[i] < totM) return false;
            for (int k = 0; k < g; k++) if (gres[i * g + k] < totG[k]) return false;
        }
        return true;
    }

    /**
     * Earliest breakpoint {@code s <= horizon} such that the request fits over [s, s+dur), or -1. Only breakpoints
     * are candidates because free resources change only there.
     */
    public long earliest(int c, long m, int type, int cnt, long dur, long horizon, boolean whole, int[] totG) {
        for (int i = 0; i < n; i++) {
            long s = t[i];
            if (s > horizon) return -1;
            if (cpu[i] < c || mem[i] < m || (type >= 0 && gres[i * g + type] < cnt)) continue;
            if (whole ? fitsWhole(s, s + dur, c, m, totG) : fits(s, s + dur, c, m, type, cnt)) return s;
        }
        return -1;
    }
}
