package org.scow.shell.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.channel.PtyCapableChannelSession;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.WebSocketListener;
import org.scow.loginnode.LoginConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser terminal: text frames in ({@code input}, {@code resize}), the PTY's output out as binary frames, and a
 * final {@code exit} or {@code error} text frame before the close.
 */
final class ShellSocket implements WebSocketListener {
    private static final Logger LOG = LoggerFactory.getLogger(ShellSocket.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoginConnection connection;
    private final PtyCapableChannelSession channel;
    private volatile Session ws;
    private volatile boolean done;

    ShellSocket(LoginConnection connection, PtyCapableChannelSession channel) {
        this.connection = connection;
        this.channel = channel;
    }

    @Override
    public void onWebSocketConnect(Session session) {
        this.ws = session;
        OutputStream toBrowser = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Session s = ws;
                if (s != null && s.isOpen() && len > 0) {
                    // blocking send: the SSH channel's window then throttles a fast producer
                    s.getRemote().sendBytes(ByteBuffer.wrap(b.clone(), off, len));
                }
            }
        };
        channel.setOut(toBrowser);
        channel.setErr(toBrowser);
        try {
            channel.open().verify(15, TimeUnit.SECONDS);
        } catch (IOException e) {
            finish(error("the login node refused the shell: " + e.getMessage()));
            return;
        }
        Thread waiter = new Thread(() -> {
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), 0);
            Integer status = channel.getExitStatus();
            ObjectNode exit = JSON.createObjectNode().put("type", "exit");
            if (status != null) {
                exit.put("status", status);
            } else {
                exit.putNull("status");
            }
            finish(exit.toString());
        }, "scow-shell-" + connection.user());
        waiter.setDaemon(true);
        waiter.start();
    }

    @Override
    public void onWebSocketText(String message) {
        try {
            JsonNode m = JSON.readTree(message);
            String type = m.path("type").asText();
            switch (type) {
                case "input" -> {
                    OutputStream in = channel.getInvertedIn();
                    in.write(m.path("data").asText().getBytes(StandardCharsets.UTF_8));
                    in.flush();
                }
                case "resize" -> {
                    int cols = m.path("cols").asInt(0);
                    int rows = m.path("rows").asInt(0);
                    if (cols > 0 && cols <= ShellServlet.MAX_SIZE && rows > 0 && rows <= ShellServlet.MAX_SIZE) {
                        channel.sendWindowChange(cols, rows);
                    }
                }
                default -> LOG.debug("Ignoring shell message of type '{}'", type);
            }
        } catch (IOException e) {
            if (!done) {
                LOG.debug("Shell input failed", e);
            }
        }
    }

    @Override
    public void onWebSocketBinary(byte[] payload, int offset, int len) {
        try { // raw keystrokes are accepted too
            OutputStream in = channel.getInvertedIn();
            in.write(payload, offset, len);
            in.flush();
        } catch (IOException e) {
            LOG.debug("Shell input failed", e);
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        ws = null;
        finish(null);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("Web shell error", cause);
        finish(null);
    }

    static String error(String message) {
        return JSON.createObjectNode().put("type", "error").put("message", message).toString();
    }

    /** Sends the last frame (if the socket is still open), closes it, the channel, and gives back the session. */
    private synchronized void finish(String lastFrame) {
        if (done) {
            return;
        }
        done = true;
        Session s = ws;
        if (s != null && s.isOpen()) {
            try {
                if (lastFrame != null) {
                    s.getRemote().sendString(lastFrame);
                }
                s.close(StatusCode.NORMAL, "shell ended");
            } catch (IOException e) {
                LOG.debug("close", e);
            }
        }
        channel.close(false);
        connection.close();
    }
}
