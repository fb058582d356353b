package org.scow.crane.ctld.util;

import java.nio.charset.StandardCharsets;

/** Reads what {@link Buf} wrote; throws {@link IllegalStateException} on truncated or malformed input. */
public final class BufReader {
    private final byte[] b;
    private int p;
    private final int end;

    public BufReader(byte[] b, int off, int len) {
        this.b = b;
        this.p = off;
        this.end = off + len;
    }

    public BufReader(byte[] b) {
        this(b, 0, b.length);
    }

    public boolean hasMore() {
        return p < end;
    }

    public int position() {
        return p;
    }

    private void need(int k) {
        if (k < 0 || p + k > end) throw new IllegalStateException("truncated record at " + p);
    }

    public int u8() {
        need(1);
        return b[p++] & 0xFF;
    }

    public boolean bool() {
        return u8() != 0;
    }

    public int i32() {
        need(4);
        int v = ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
        p += 4;
        return v;
    }

    public long i64() {
        long hi = i32() & 0xFFFFFFFFL;
        long lo = i32() & 0xFFFFFFFFL;
        return (hi << 32) | lo;
    }

    public long var() {
        long z = 0;
        int shift = 0;
        while (true) {
            need(1);
            int x = b[p++] & 0xFF;
            z |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) break;
            shift += 7;
            if (shift > 63) throw new IllegalStateException("varint too long at " + p);
        }
        return (z >>> 1) ^ -(z & 1);
    }

    public int varInt() {
        long v = var();
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw new IllegalStateException("int out of range");
        return (int) v;
    }

    public double f64() {
        return Double.longBitsToDouble(i64());
    }

    public String str() {
        int len = varInt();
        if (len == -1) return null;
        need(len);
        String s = new String(b, p, len, StandardCharsets.UTF_8);
        p += len;
        return s;
    }

    public int[] ints() {
        int len = varInt();
        if (len == -1) return null;
        need(len);
        int[] a = new int[len];
        for (int i = 0; i < len; i++) a[i] = varInt();
        return a;
    }

    public String[] strs() {
        int len = varInt();
        if (len == -1) return null;
        need(len);
        String[] a = new String[len];
        for (int i = 0; i < len; i++) a[i] = str();
        return a;
    }
}
