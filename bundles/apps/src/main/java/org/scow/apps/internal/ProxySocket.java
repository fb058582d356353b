package org.scow.apps.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied WebSocket: the browser's side is a Jetty socket, the app's side a JDK client socket. Messages are
 * passed on whole, one at a time in each direction (the app's side asks for the next message only once the browser
 * has taken the last, so a slow browser slows the app down instead of filling memory).
 */
final class ProxySocket implements WebSocketListener {
    private static final Logger LOG = LoggerFactory.getLogger(ProxySocket.class);
    private static final int MAX_MESSAGE = 16 * 1024 * 1024;

    /** Browser side, once Jetty opened it. */
    private final CompletableFuture<Session> browser = new CompletableFuture<>();
    private volatile WebSocket app;

    /** The listener of the app's side; connect with it, then {@link #app(WebSocket)}. */
    final WebSocket.Listener appListener = new WebSocket.Listener() {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (text.length() > MAX_MESSAGE) {
                ws.abort();
                closeBrowser(1009, "message too large");
                return null;
            }
            if (last) {
                String message = text.toString();
                text.setLength(0);
                return browser.thenAccept(s -> {
                    try {
                        s.getRemote().sendString(message);
                    } catch (IOException e) {
                        ws.abort();
                    }
                }).whenComplete((v, t) -> ws.request(1));
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (binary.size() > MAX_MESSAGE) {
                ws.abort();
                closeBrowser(1009, "message too large");
                return null;
            }
            if (last) {
                ByteBuffer message = ByteBuffer.wrap(binary.toByteArray());
                binary.reset();
                return browser.thenAccept(s -> {
                    try {
                        s.getRemote().sendBytes(message);
                    } catch (IOException e) {
                        ws.abort();
                    }
                }).whenComplete((v, t) -> ws.request(1));
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closeBrowser(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            LOG.debug("app side of a proxied WebSocket failed", error);
            closeBrowser(1011, "the app's connection failed");
        }
    };

    void app(WebSocket ws) {
        this.app = ws;
    }

    @Override
    public void onWebSocketConnect(Session session) {
        session.getPolicy().setMaxTextMessageSize(MAX_MESSAGE);
        session.getPolicy().setMaxBinaryMessageSize(MAX_MESSAGE);
        browser.complete(session);
    }

    @Override
    public void onWebSocketText(String message) {
        send(app.sendText(message, true));
    }

    @Override
    public void onWebSocketBinary(byte[] payload, int offset, int len) {
        send(app.sendBinary(ByteBuffer.wrap(payload, offset, len), true));
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        WebSocket a = app;
        if (a != null && !a.isOutputClosed()) {
            a.sendClose(sendable(statusCode), reason == null ? "" : reason).orTimeout(5, TimeUnit.SECONDS)
                    .whenComplete((w, t) -> a.abort());
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("browser side of a proxied WebSocket failed", cause);
        WebSocket a = app;
        if (a != null) {
            a.abort();
        }
    }

    /** Waits for the app to take the message: the browser's next message waits too. */
    private void send(CompletableFuture<WebSocket> sent) {
        try {
            sent.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            app.abort();
            closeBrowser(1011, "the app does not take messages");
        }
    }

    private void closeBrowser(int code, String reason) {
        browser.thenAccept(s -> {
            if (s.isOpen()) {
                s.close(sendable(code), reason == null || reason.length() > 100 ? "" : reason);
            }
        });
    }

    /** 1005, 1006 and 1015 only report what happened; they cannot be sent. */
    static int sendable(int code) {
        return code == 1005 || code == 1006 || code == 1015 || code < 1000 || code > 4999 ? 1000 : code;
    }
}
