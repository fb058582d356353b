package org.scow.crane.ctld.util;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable little binary writer (varints, strings) used by the WAL and snapshots. Not thread-safe. */
public final class Buf {
    private byte[] b;
    private int n;

    public Buf(int capacity) {
        b = new byte[Math.max(16, capacity)];
    }

    public Buf() {
        this(256);
    }

    private void ensure(int more) {
        if (n + more > b.length) b = Arrays.copyOf(b, Math.max(b.length * 2, n + more));
    }

    public Buf reset() {
        n = 0;
        return this;
    }

    public int size() {
        return n;
    }

    public byte[] array() {
        return b;
    }

    public byte[] toBytes() {
        return Arrays.copyOf(b, n);
    }

    public Buf u8(int v) {
        ensure(1);
        b[n++] = (byte) v;
        return this;
    }

    public Buf bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    public Buf i32(int v) {
        ensure(4);
        b[n++] = (byte) (v >>> 24);
        b[n++] = (byte) (v >>> 16);
        b[n++] = (byte) (v >>> 8);
        b[n++] = (byte) v;
        return this;
    }

    public Buf i64(long v) {
        i32((int) (v >>> 32));
        return i32((int) v);
    }

    /** Unsigned LEB128 of a zig-zag encoded long: small magnitudes take one or two bytes. */
    public Buf var(long v) {
        long z = (v << 1) ^ (v >> 63);
        ensure(10);
        while ((z & ~0x7FL) != 0) {
            b[n++] = (byte) ((z & 0x7F) | 0x80);
            z >>>= 7;
        }
        b[n++] = (byte) z;
        return this;
    }

    public Buf f64(double v) {
        return i64(Double.doubleToRawLongBits(v));
    }

    /** A nullable string. */
    public Buf str(String s) {
        if (s == null) return var(-1);
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        var(u.length);
        ensure(u.length);
        System.arraycopy(u, 0, b, n, u.length);
        n += u.length;
        return this;
    }

    public Buf ints(int[] a) {
        if (a == null) return var(-1);
        var(a.length);
        for (int x : a) var(x);
        return this;
    }

    public Buf strs(String[] a) {
        if (a == null) return var(-1);
        var(a.length);
        for (String x : a) str(x);
        return this;
    }

    public Buf bytes(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, b, n, len);
        n += len;
        return this;
    }
}
