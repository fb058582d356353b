package org.scow.crane.cli;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.TimeUnit;
import org.scow.crane.protocol.CredentialFiles;
import org.scow.crane.protocol.Wire;
import org.scow.crane.protocol.v1.CraneGrpc;

/** One connection to cranectld carrying the caller's credential; turns failed calls into clear messages. */
final class CraneClient implements AutoCloseable {
    static final long TIMEOUT_SECONDS = 30;

    private final ClientConfig config;
    private final ManagedChannel channel;
    private final CraneGrpc.CraneBlockingStub stub;

    private CraneClient(ClientConfig config, String credential) {
        this.config = config;
        channel = NettyChannelBuilder.forAddress(config.host(), config.port()).usePlaintext()
                .maxInboundMessageSize(Wire.MAX_MESSAGE_BYTES).build();
        Metadata md = new Metadata();
        md.put(Wire.CREDENTIAL, credential);
        stub = CraneGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }

    static CraneClient open(ClientConfig config) throws CliException {
        String credential;
        try {
            credential = CredentialFiles.readCredential(config.credentialFile());
        } catch (NoSuchFileException e) {
            throw CliException.failed("no credential at " + config.credentialFile() + " (set CRANE_CREDENTIAL, or ask"
                    + " an administrator to run 'cranectld credential --scope user --principal <you> --out "
                    + config.credentialFile() + " --owner <you>')");
        } catch (AccessDeniedException e) {
            throw CliException.failed("cannot read the credential " + config.credentialFile() + ": permission denied");
        } catch (IOException e) {
            throw CliException.failed("cannot read the credential " + config.credentialFile() + ": " + e.getMessage());
        }
        return new CraneClient(config, credential);
    }

    /** Runs one call with the standard deadline; a refusal becomes a {@link CliException} with the controller's words. */
    <T> T call(java.util.function.Function<CraneGrpc.CraneBlockingStub, T> call) throws CliException {
        try {
            return call.apply(stub.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (StatusRuntimeException e) {
            throw explain(e);
        }
    }

    CliException explain(StatusRuntimeException e) {
        Status s = e.getStatus();
        Metadata t = e.getTrailers();
        String code = t == null ? null : t.get(Wire.ERROR_CODE);
        String desc = s.getDescription() == null ? s.getCode().name() : s.getDescription();
        if (code == null) {
            return switch (s.getCode()) {
                case UNAVAILABLE -> CliException.failed("cannot reach cranectld at " + config.target() + " (" + desc
                        + "); is it running? The address comes from CRANE_CONTROLLER or ControllerAddress in the "
                        + "configuration file");
                case DEADLINE_EXCEEDED -> CliException.failed("cranectld at " + config.target() + " did not answer within "
                        + TIMEOUT_SECONDS + " s");
                default -> CliException.failed("cranectld: " + s.getCode() + ": " + desc);
            };
        }
        if (code.equals(Wire.UNAUTHENTICATED)) {
            return CliException.failed("credential " + config.credentialFile() + " refused: " + desc);
        }
        return CliException.failed(desc);
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
