package org.scow.crane.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A gRPC client for unary calls over one HTTP/2 connection (plaintext, or TLS trusting a given certificate), as the commands make them: one call at a
 * time, each on a new stream (RFC 9113; the gRPC HTTP/2 protocol; HPACK in {@link Hpack}).
 *
 * <p>Why not grpc-java's channel: a command lives for one or a few calls, and grpc-java with Netty loads about
 * 1,200 classes and starts an event loop first, which was two thirds of a command's CPU time. This class is a few
 * hundred lines on a blocking socket; cranectld's server is the real grpc-java one.
 *
 * <p>Flow control: the client grants the server a window of 2^31-1 on each stream and, at first, on the connection,
 * which it tops up every 1 GiB received; it honours the server's windows when sending (large scripts and batches).
 */
final class GrpcConnection implements AutoCloseable {
    /** A call that did not succeed: the gRPC status code name (UNAVAILABLE, NOT_FOUND, ...), text and trailers. */
    static final class CallFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String code;
        final String description;
        final Map<String, String> trailers;

        CallFailure(String code, String description, Map<String, String> trailers) {
            super(code + ": " + description, null, false, false);
            this.code = code;
            this.description = description;
            this.trailers = trailers;
        }
    }

    /** The server did not process the call (RST_STREAM REFUSED_STREAM, or GOAWAY below its stream id). */
    private static final class NotProcessed extends IOException {
        private static final long serialVersionUID = 1L;

        NotProcessed(String message) {
            super(message);
        }
    }

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final int DATA = 0;
    private static final int HEADERS = 1;
    private static final int RST_STREAM = 3;
    private static final int SETTINGS = 4;
    private static final int PUSH_PROMISE = 5;
    private static final int PING = 6;
    private static final int GOAWAY = 7;
    private static final int WINDOW_UPDATE = 8;
    private static final int CONTINUATION = 9;
    private static final int END_STREAM = 0x1;
    private static final int ACK = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;
    private static final int PRIORITY = 0x20;
    private static final int MAX_WINDOW = Integer.MAX_VALUE;
    /** Largest frame the client accepts (the protocol's default; announced implicitly). */
    private static final int MAX_FRAME_IN = 16384;
    private static final int HEADER_TABLE_SIZE = 4096;
    private static final int MAX_HEADER_LIST = 1 << 20;
    static final String[] CODES = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
        "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};

    private final String host;
    private final int port;
    private final int maxMessageBytes;
    private Socket socket;
    /** TLS to the controller, or null for plaintext. */
    private final SSLSocketFactory tls;
    private DataInputStream in;
    private OutputStream out;
    private Hpack.Decoder decoder;
    private int nextStream;
    private long connectionSendWindow;
    private int peerInitialWindow;
    private int peerMaxFrame;
    /** DATA octets received since the last connection-level WINDOW_UPDATE. */
    private long received;
    /** Set when the server said GOAWAY: the next call opens a new connection. */
    private boolean closing;

    /** State of the stream being called. */
    private int stream;
    private long streamSendWindow;
    private boolean streamClosed;
    private ByteArrayOutputStream headerBlock;
    private int headerFlags;
    private List<Hpack.Field> headers;
    private List<Hpack.Field> trailers;
    private ByteArrayOutputStream body;

    GrpcConnection(String host, int port, int maxMessageBytes) {
        this(host, port, maxMessageBytes, null);
    }

    /** With {@code tls}, the connection speaks HTTP/2 over TLS (ALPN h2) and checks the server's name. */
    GrpcConnection(String host, int port, int maxMessageBytes, SSLSocketFactory tls) {
        this.host = host;
        this.port = port;
        this.maxMessageBytes = maxMessageBytes;
        this.tls = tls;
    }

    /** TLS that trusts only the PEM certificate(s) in {@code pem}: the controller's own or its CA's. */
    static SSLSocketFactory trusting(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca" + n++, c);
            }
            if (n == 0) throw new IOException("no certificate in " + pem);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the certificate " + pem + ": " + e.getMessage(), e);
        }
    }

    /**
     * Calls {@code /service/method} with {@code request} and the metadata (lower-case ASCII names), waiting at most
     * {@code timeoutMs}; returns the reply or throws a {@link CallFailure}.
     */
    <R> R call(String fullMethodName, MessageLite request, Parser<R> replyParser, Map<String, String> metadata,
            long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        try {
            byte[] reply;
            try {
                if (socket == null || closing) connect(timeoutMs);
                reply = exchange("/" + fullMethodName, request.toByteArray(), metadata, timeoutMs, deadline);
            } catch (NotProcessed e) {
                // the server closed the connection before taking the call (GOAWAY, REFUSED_STREAM): safe to repeat
                close();
                connect(timeoutMs);
                reply = exchange("/" + fullMethodName, request.toByteArray(), metadata, timeoutMs, deadline);
            }
            try {
                return replyParser.parseFrom(reply);
            } catch (InvalidProtocolBufferException e) {
                throw new CallFailure("INTERNAL", "cannot decode the reply: " + e.getMessage(), Map.of());
            }
        } catch (SocketTimeoutException e) {
            close();
            throw new CallFailure("DEADLINE_EXCEEDED", "no reply within " + timeoutMs + " ms", Map.of());
        } catch (IOException e) {
            close();
            String what = e instanceof EOFException ? "connection closed"
                    : e instanceof UnknownHostException ? "unknown host " + e.getMessage() : e.getMessage();
            throw new CallFailure("UNAVAILABLE", what == null ? e.toString() : what, Map.of());
        } catch (Hpack.HpackException e) {
            close();
            throw new CallFailure("INTERNAL", "bad header block from the server: " + e.getMessage(), Map.of());
        }
    }

    /** TLS on the connected socket, agreeing on HTTP/2 (ALPN "h2", as gRPC requires) and checking the host name. */
    private Socket handshake(Socket plain, long timeoutMs) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.createSocket(plain, host, port, true);
        try {
            SSLParameters params = ssl.getSSLParameters();
            params.setApplicationProtocols(new String[] {"h2"});
            params.setEndpointIdentificationAlgorithm("HTTPS");
            ssl.setSSLParameters(params);
            ssl.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeoutMs)));
            ssl.startHandshake();
            if (!"h2".equals(ssl.getApplicationProtocol())) {
                throw new IOException("the controller did not agree to HTTP/2 over TLS");
            }
            return ssl;
        } catch (IOException e) {
            ssl.close();
            throw e;
        }
    }

    private void connect(long timeoutMs) throws IOException {
        close();
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeoutMs)));
        } catch (IOException e) {
            s.close();
            throw e;
        }
        if (tls != null) s = handshake(s, timeoutMs);
        socket = s;
        in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 65536));
        out = new BufferedOutputStream(s.getOutputStream(), 65536);
        decoder = new Hpack.Decoder(HEADER_TABLE_SIZE, MAX_HEADER_LIST);
        nextStream = 1;
        connectionSendWindow = 65535;
        peerInitialWindow = 65535;
        peerMaxFrame = 16384;
        received = 0;
        closing = false;
        out.write(PREFACE);
        // ENABLE_PUSH=0, INITIAL_WINDOW_SIZE=2^31-1
        byte[] settings = {0, 2, 0, 0, 0, 0, 0, 4, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        frame(SETTINGS, 0, 0, settings, 0, settings.length);
        windowUpdate(0, MAX_WINDOW - 65535);
        out.flush();
    }

    private byte[] exchange(String path, byte[] message, Map<String, String> metadata, long timeoutMs, long deadline)
            throws IOException, Hpack.HpackException {
        if (nextStream < 0) throw new IOException("stream ids exhausted");
        stream = nextStream;
        nextStream += 2;
        streamSendWindow = peerInitialWindow;
        streamClosed = false;
        headers = null;
        trailers = null;
        body = new ByteArrayOutputStream();

        ByteArrayOutputStream block = new ByteArrayOutputStream(256);
        Hpack.encode(block, ":method", "POST");
        Hpack.encode(block, ":scheme", "http");
        Hpack.encode(block, ":path", path);
        Hpack.encode(block, ":authority", (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port);
        Hpack.encode(block, "content-type", "application/grpc");
        Hpack.encode(block, "te", "trailers");
        Hpack.encode(block, "grpc-timeout", Math.min(99_999_999L, Math.max(1, timeoutMs)) + "m");
        Hpack.encode(block, "user-agent", "crane-cli");
        for (Map.Entry<String, String> m : metadata.entrySet()) Hpack.encode(block, m.getKey(), m.getValue());
        byte[] h = block.toByteArray();
        int off = 0;
        do { // HEADERS, then CONTINUATION frames if the block is larger than a frame
            int n = Math.min(peerMaxFrame, h.length - off);
            frame(off == 0 ? HEADERS : CONTINUATION, off + n == h.length ? END_HEADERS : 0, stream, h, off, n);
            off += n;
        } while (off < h.length);

        // the gRPC message: uncompressed flag, length, bytes
        byte[] data = new byte[5 + message.length];
        data[1] = (byte) (message.length >>> 24);
        data[2] = (byte) (message.length >>> 16);
        data[3] = (byte) (message.length >>> 8);
        data[4] = (byte) message.length;
        System.arraycopy(message, 0, data, 5, message.length);
        int sent = 0;
        while (sent < data.length && !streamClosed) {
            long window = Math.min(connectionSendWindow, streamSendWindow);
            if (window <= 0) {
                out.flush();
                readFrame(deadline); // until a WINDOW_UPDATE (or an early answer)
                continue;
            }
            int n = (int) Math.min(Math.min(window, peerMaxFrame), data.length - sent);
            frame(DATA, sent + n == data.length ? END_STREAM : 0, stream, data, sent, n);
            sent += n;
            connectionSendWindow -= n;
            streamSendWindow -= n;
        }
        out.flush();
        while (!streamClosed) readFrame(deadline);
        return reply();
    }

    /** The outcome of the finished stream: the reply message, or a {@link CallFailure}. */
    private byte[] reply() {
        Map<String, String> h = map(headers);
        Map<String, String> t = trailers != null ? map(trailers) : h; // trailers-only: the status is in the headers
        String http = h.get(":status");
        String status = t.get("grpc-status");
        if (status == null) {
            if (http != null && !http.equals("200")) {
                throw new CallFailure(httpToCode(http), "HTTP status " + http + " from cranectld", t);
            }
            throw new CallFailure("INTERNAL", "the reply has no grpc-status", t);
        }
        int code;
        try {
            code = Integer.parseInt(status);
        } catch (NumberFormatException e) {
            code = 2;
        }
        if (code != 0) {
            String message = t.get("grpc-message");
            String desc = message == null ? null : percentDecode(message);
            throw new CallFailure(code > 0 && code < CODES.length ? CODES[code] : "UNKNOWN", desc, t);
        }
        byte[] b = body.toByteArray();
        if (b.length < 5) throw new CallFailure("INTERNAL", "no reply message", t);
        if (b[0] != 0) throw new CallFailure("INTERNAL", "compressed reply (not requested)", t);
        int len = ((b[1] & 0xff) << 24) | ((b[2] & 0xff) << 16) | ((b[3] & 0xff) << 8) | (b[4] & 0xff);
        if (len != b.length - 5) throw new CallFailure("INTERNAL", "not exactly one reply message", t);
        byte[] msg = new byte[len];
        System.arraycopy(b, 5, msg, 0, len);
        return msg;
    }

    /** grpc-message is percent-encoded UTF-8; '+' is itself, not a space. */
    private static String percentDecode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static Map<String, String> map(List<Hpack.Field> fields) {
        Map<String, String> m = new HashMap<>();
        if (fields != null) for (Hpack.Field f : fields) m.merge(f.name(), f.value(), (a, b) -> a + "," + b);
        return m;
    }

    /** gRPC's mapping of HTTP status codes for replies without grpc-status. */
    private static String httpToCode(String http) {
        return switch (http) {
            case "400" -> "INTERNAL";
            case "401" -> "UNAUTHENTICATED";
            case "403" -> "PERMISSION_DENIED";
            case "404" -> "UNIMPLEMENTED";
            case "429", "502", "503", "504" -> "UNAVAILABLE";
            default -> "UNKNOWN";
        };
    }

    /** Reads and handles one frame; blocks until {@code deadline}. */
    private void readFrame(long deadline) throws IOException, Hpack.HpackException {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) throw new SocketTimeoutException("deadline");
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int id = in.readInt() & 0x7fffffff;
        if (length > MAX_FRAME_IN) throw new IOException("frame of " + length + " bytes over " + MAX_FRAME_IN);
        byte[] p = new byte[length];
        in.readFully(p);
        switch (type) {
            case DATA -> {
                // the connection window is shared by all calls (cqueue -i makes one a second): give it back in
                // large steps; a stream's own window (2^31-1) is never used up by one reply
                received += length;
                if (received >= 1 << 30) {
                    windowUpdate(0, (int) received);
                    out.flush();
                    received = 0;
                }
                if (id != stream) {
                    if (id == 0) throw new IOException("DATA on stream 0");
                    return; // a stream of an earlier, abandoned call
                }
                int off = 0;
                int len = length;
                if ((flags & PADDED) != 0) {
                    if (length < 1 || (p[0] & 0xff) >= length) throw new IOException("bad padding");
                    off = 1;
                    len = length - 1 - (p[0] & 0xff);
                }
                if (body.size() + len > maxMessageBytes + 5L) {
                    throw new IOException("reply larger than " + maxMessageBytes + " bytes");
                }
                body.write(p, off, len);
                if ((flags & END_STREAM) != 0) streamClosed = true;
            }
            case HEADERS -> {
                if (headerBlock != null) throw new IOException("HEADERS inside a header block");
                int off = 0;
                int end = length;
                if ((flags & PADDED) != 0) {
                    if (length < 1) throw new IOException("bad padding");
                    end -= p[0] & 0xff;
                    off = 1;
                }
                if ((flags & PRIORITY) != 0) off += 5;
                if (off > end) throw new IOException("bad HEADERS frame");
                headerBlock = new ByteArrayOutputStream();
                headerBlock.write(p, off, end - off);
                headerFlags = flags;
                if ((flags & END_HEADERS) != 0) headerBlockDone(id);
            }
            case CONTINUATION -> {
                if (headerBlock == null) throw new IOException("CONTINUATION without HEADERS");
                if (headerBlock.size() + length > MAX_HEADER_LIST) throw new IOException("header block too large");
                headerBlock.write(p, 0, length);
                if ((flags & END_HEADERS) != 0) headerBlockDone(id);
            }
            case RST_STREAM -> {
                if (id == stream) {
                    int err = length == 4 ? ((p[0] & 0xff) << 24 | (p[1] & 0xff) << 16 | (p[2] & 0xff) << 8 | (p[3] & 0xff)) : -1;
                    if (err == 7) throw new NotProcessed("stream refused by cranectld");
                    String code = err == 8 ? "CANCELLED" : "INTERNAL";
                    throw new CallFailure(code, "stream reset by cranectld (HTTP/2 error " + err + ")", Map.of());
                }
            }
            case SETTINGS -> {
                if ((flags & ACK) != 0) return;
                if (length % 6 != 0) throw new IOException("bad SETTINGS frame");
                for (int i = 0; i < length; i += 6) {
                    int key = ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
                    long value = ((long) (p[i + 2] & 0xff) << 24) | ((p[i + 3] & 0xff) << 16) | ((p[i + 4] & 0xff) << 8) | (p[i + 5] & 0xff);
                    if (key == 4) { // INITIAL_WINDOW_SIZE: applies to open streams as a delta
                        if (value > MAX_WINDOW) throw new IOException("bad initial window");
                        streamSendWindow += value - peerInitialWindow;
                        peerInitialWindow = (int) value;
                    } else if (key == 5) { // MAX_FRAME_SIZE
                        if (value < 16384 || value > 16777215) throw new IOException("bad max frame size");
                        peerMaxFrame = (int) value;
                    }
                }
                frame(SETTINGS, ACK, 0, p, 0, 0);
                out.flush();
            }
            case PING -> {
                if ((flags & ACK) == 0) {
                    frame(PING, ACK, 0, p, 0, length);
                    out.flush();
                }
            }
            case GOAWAY -> {
                closing = true;
                int last = length >= 4 ? (((p[0] & 0x7f) << 24) | ((p[1] & 0xff) << 16) | ((p[2] & 0xff) << 8) | (p[3] & 0xff)) : 0;
                if (last < stream) throw new NotProcessed("cranectld closed the connection (GOAWAY)");
            }
            case WINDOW_UPDATE -> {
                if (length != 4) throw new IOException("bad WINDOW_UPDATE");
                int inc = ((p[0] & 0x7f) << 24) | ((p[1] & 0xff) << 16) | ((p[2] & 0xff) << 8) | (p[3] & 0xff);
                if (id == 0) connectionSendWindow += inc;
                else if (id == stream) streamSendWindow += inc;
            }
            case PUSH_PROMISE -> throw new IOException("PUSH_PROMISE although push is disabled");
            default -> {
                // PRIORITY and unknown frame types are ignored, as the protocol asks
            }
        }
    }

    private void headerBlockDone(int id) throws Hpack.HpackException {
        // decoded even for other streams: the table state is shared by the whole connection
        List<Hpack.Field> fields = decoder.decode(headerBlock.toByteArray());
        headerBlock = null;
        if (id != stream) return;
        if (headers == null) headers = fields;
        else trailers = fields;
        if ((headerFlags & END_STREAM) != 0) streamClosed = true;
    }

    private void frame(int type, int flags, int id, byte[] payload, int off, int len) throws IOException {
        out.write(len >>> 16);
        out.write(len >>> 8);
        out.write(len);
        out.write(type);
        out.write(flags);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        out.write(payload, off, len);
    }

    private void windowUpdate(int id, int increment) throws IOException {
        byte[] b = {(byte) (increment >>> 24), (byte) (increment >>> 16), (byte) (increment >>> 8), (byte) increment};
        frame(WINDOW_UPDATE, 0, id, b, 0, 4);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
        socket = null;
        headerBlock = null;
    }
}
