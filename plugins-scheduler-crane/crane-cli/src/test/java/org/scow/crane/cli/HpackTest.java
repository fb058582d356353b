package org.scow.crane.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2HeadersEncoder;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.Test;

/**
 * The HPACK decoder against the encoder of the server side (Netty's, as grpc-java uses it): Huffman coding on and
 * off, incremental indexing and never-indexed fields, a shrinking dynamic table with evictions; and the client's
 * encoder against Netty's decoder.
 */
public class HpackTest {
    private static List<Hpack.Field> sample(Random r, int block) {
        List<Hpack.Field> f = new ArrayList<>();
        f.add(new Hpack.Field(":status", block % 5 == 0 ? "503" : "200"));
        f.add(new Hpack.Field("content-type", "application/grpc"));
        f.add(new Hpack.Field("grpc-status", Integer.toString(block % 17)));
        f.add(new Hpack.Field("grpc-message", "no%20job%20" + block + " (" + "x".repeat(r.nextInt(300)) + ")"));
        f.add(new Hpack.Field("crane-code", block % 2 == 0 ? "JOB_NOT_FOUND" : "INVALID"));
        StringBuilder any = new StringBuilder();
        for (int i = 0; i < 40; i++) any.append((char) (0x20 + r.nextInt(0xe0))); // every octet from space to 0xff
        f.add(new Hpack.Field("x-bytes-" + (block % 3), any.toString()));
        return f;
    }

    private static Http2Headers netty(List<Hpack.Field> fields) {
        Http2Headers h = new DefaultHttp2Headers(false);
        for (Hpack.Field f : fields) h.add(f.name(), f.value());
        return h;
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    @Test
    public void decodesWhatTheServerEncodes() throws Exception {
        for (int huffmanThreshold : new int[] {0, 10_000}) {
            for (Http2HeadersEncoder.SensitivityDetector sensitive
                    : List.of(Http2HeadersEncoder.NEVER_SENSITIVE, Http2HeadersEncoder.ALWAYS_SENSITIVE)) {
                DefaultHttp2HeadersEncoder enc = new DefaultHttp2HeadersEncoder(sensitive, false, 16, huffmanThreshold);
                Hpack.Decoder dec = new Hpack.Decoder(4096, 1 << 20);
                Random r = new Random(huffmanThreshold + 31L * sensitive.hashCode());
                for (int block = 0; block < 60; block++) {
                    // a smaller table part way: the encoder announces it, entries are evicted
                    if (block == 30) enc.configuration().maxHeaderTableSize(200);
                    if (block == 45) enc.configuration().maxHeaderTableSize(0);
                    List<Hpack.Field> want = sample(r, block);
                    ByteBuf buf = Unpooled.buffer();
                    enc.encodeHeaders(1, netty(want), buf);
                    assertEquals("block " + block + ", Huffman threshold " + huffmanThreshold, want, dec.decode(bytes(buf)));
                }
            }
        }
    }

    @Test
    public void theServerDecodesWhatTheClientEncodes() throws Exception {
        DefaultHttp2HeadersDecoder dec = new DefaultHttp2HeadersDecoder(false);
        Random r = new Random(7);
        for (int block = 0; block < 10; block++) {
            List<Hpack.Field> want = sample(r, block);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (Hpack.Field f : want) Hpack.encode(out, f.name(), f.value());
            Http2Headers got = dec.decodeHeaders(1, Unpooled.wrappedBuffer(out.toByteArray()));
            List<Hpack.Field> fields = new ArrayList<>();
            for (Map.Entry<CharSequence, CharSequence> e : got) fields.add(new Hpack.Field(e.getKey().toString(), e.getValue().toString()));
            assertEquals(want.size(), fields.size());
            assertEquals(new java.util.HashSet<>(want), new java.util.HashSet<>(fields)); // Netty puts pseudo-headers first
        }
    }

    @Test
    public void integersOfEveryLengthRoundTrip() throws Exception {
        for (int v : new int[] {0, 1, 126, 127, 128, 254, 255, 16_383, 16_384, 1 << 20, (1 << 28) - 1}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Hpack.encode(out, "n", "v".repeat(Math.min(v, 70_000)));
            List<Hpack.Field> got = new Hpack.Decoder(4096, 1 << 21).decode(out.toByteArray());
            assertEquals(Math.min(v, 70_000), got.get(0).value().length());
        }
    }

    @Test
    public void malformedBlocksAreRefused() {
        byte[][] bad = {
            {(byte) 0x80}, // index 0
            {(byte) 0xbf}, // dynamic index 63, table empty
            {0x00, 0x05, 'a'}, // name longer than the block
            {0x00, (byte) 0x7f}, // truncated length
            {0x3f, (byte) 0xe2, 0x1f}, // table size update to 4096 + 1
            {0x00, 0x01, 'a', 0x00, 0x20}, // a size update after a field (0x20 = update to 0)
            {0x00, 0x01, 'a', (byte) 0x81, (byte) 0xff}, // Huffman value: 8 one-bits of padding
        };
        for (byte[] b : bad) {
            try {
                new Hpack.Decoder(4096, 1 << 20).decode(b);
                fail("accepted " + java.util.Arrays.toString(b));
            } catch (Hpack.HpackException e) {
                // expected
            }
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Hpack.encode(out, "big", "v".repeat(2000));
            new Hpack.Decoder(4096, 1000).decode(out.toByteArray());
            fail("accepted a header list over the limit");
        } catch (Hpack.HpackException e) {
            assertEquals("header list larger than 1000 bytes", e.getMessage());
        }
    }
}
