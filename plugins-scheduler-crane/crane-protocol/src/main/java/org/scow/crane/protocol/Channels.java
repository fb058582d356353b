package org.scow.crane.protocol;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * Channels to cranectld and TLS for its server. Credentials are bearer tokens, so anything but loopback needs TLS:
 * clients then trust the controller's certificate (or the CA that signed it), given as a PEM file.
 */
public final class Channels {
    private Channels() {
    }

    /**
     * A channel to {@code host:port}; plaintext when {@code trustPem} is null, else TLS that accepts only a server
     * certificate chaining to the PEM certificate(s) in {@code trustPem} and naming {@code host}.
     */
    public static ManagedChannel open(String host, int port, Path trustPem) throws IOException {
        NettyChannelBuilder b = NettyChannelBuilder.forAddress(host, port).maxInboundMessageSize(Wire.MAX_MESSAGE_BYTES);
        if (trustPem == null) {
            b.usePlaintext();
        } else {
            readable(trustPem, "trusted certificate");
            b.sslContext(GrpcSslContexts.forClient().trustManager(trustPem.toFile()).build());
        }
        return b.build();
    }

    /** The server side of TLS from a PEM certificate chain and PKCS#8 PEM private key, for {@code NettyServerBuilder.sslContext}. */
    public static SslContext serverTls(Path certChainPem, Path keyPem) throws IOException {
        readable(certChainPem, "certificate");
        readable(keyPem, "private key");
        try {
            return GrpcSslContexts.forServer(certChainPem.toFile(), keyPem.toFile()).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("cannot use the TLS certificate " + certChainPem + " with key " + keyPem + ": "
                    + e.getMessage(), e);
        }
    }

    private static void readable(Path p, String what) throws IOException {
        if (!Files.isReadable(p)) throw new IOException("the " + what + " file " + p + " is missing or not readable");
    }
}
