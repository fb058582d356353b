package org.scow.crane.cli;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import java.util.function.Function;
import org.scow.crane.protocol.CredentialFiles;
import org.scow.crane.protocol.CredentialSocket;
import org.scow.crane.protocol.v1.AccountList;
import org.scow.crane.protocol.v1.AccountOpRequest;
import org.scow.crane.protocol.v1.CancelFilter;
import org.scow.crane.protocol.v1.Count;
import org.scow.crane.protocol.v1.CraneGrpc;
import org.scow.crane.protocol.v1.Empty;
import org.scow.crane.protocol.v1.Identity;
import org.scow.crane.protocol.v1.Job;
import org.scow.crane.protocol.v1.JobList;
import org.scow.crane.protocol.v1.JobQuery;
import org.scow.crane.protocol.v1.JobRef;
import org.scow.crane.protocol.v1.JobRequest;
import org.scow.crane.protocol.v1.ModifyJobRequest;
import org.scow.crane.protocol.v1.NodeControl;
import org.scow.crane.protocol.v1.NodeList;
import org.scow.crane.protocol.v1.NodeQuery;
import org.scow.crane.protocol.v1.PartitionControl;
import org.scow.crane.protocol.v1.PartitionList;
import org.scow.crane.protocol.v1.QosList;
import org.scow.crane.protocol.v1.Submitted;
import org.scow.crane.protocol.v1.TxnLog;
import org.scow.crane.protocol.v1.UserList;

/**
 * One connection to cranectld carrying the caller's credential; turns failed calls into clear messages. The
 * connection is opened by the first call.
 */
final class CraneClient implements AutoCloseable {
    static final long TIMEOUT_SECONDS = 30;
    /*
     * The names of crane-protocol's Wire keys and constants, as plain strings: Wire's keys are grpc-java Metadata
     * keys, whose class initialisation sets up java.util.logging, a cost every command would pay. CraneClientTest
     * checks that they agree.
     */
    static final String CREDENTIAL_HEADER = "crane-credential";
    static final String ERROR_CODE_TRAILER = "crane-code";
    static final String ERROR_FIELD_TRAILER = "crane-field";
    static final String UNAUTHENTICATED = "UNAUTHENTICATED";
    static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private final ClientConfig config;
    private final GrpcConnection connection;
    private final Map<String, String> metadata;
    private final Stub stub = new Stub();

    private CraneClient(ClientConfig config, String credential, SSLSocketFactory tls) {
        this.config = config;
        connection = new GrpcConnection(config.host(), config.port(), MAX_MESSAGE_BYTES, tls);
        metadata = Map.of(CREDENTIAL_HEADER, credential);
    }

    static CraneClient open(ClientConfig config) throws CliException {
        String credential;
        if (config.usesCredentialService()) {
            try {
                credential = CredentialSocket.fetch(config.credentialSocket(), TIMEOUT_SECONDS * 1000);
            } catch (CredentialSocket.Refused e) {
                throw CliException.failed("the credential service " + config.credentialSocket() + " refused: "
                        + e.getMessage());
            } catch (IOException e) {
                throw CliException.failed("cannot get a credential from the credential service "
                        + config.credentialSocket() + " (" + e.getMessage() + "); is the controller running?");
            }
        } else {
            credential = readFile(config);
        }
        SSLSocketFactory tls = null;
        if (config.tlsTrustFile() != null) {
            try {
                tls = GrpcConnection.trusting(config.tlsTrustFile());
            } catch (IOException e) {
                throw CliException.failed(e.getMessage());
            }
        }
        return new CraneClient(config, credential, tls);
    }

    private static String readFile(ClientConfig config) throws CliException {
        try {
            return CredentialFiles.readCredential(config.credentialFile());
        } catch (NoSuchFileException e) {
            throw CliException.failed("no credential at " + config.credentialFile() + " (set CRANE_CREDENTIAL, or"
                    + " CredentialSocket= in the configuration file when the controller runs a credential service, or ask"
                    + " an administrator to run 'cranectld credential --scope user --principal <you> --out "
                    + config.credentialFile() + " --owner <you>')");
        } catch (AccessDeniedException e) {
            throw CliException.failed("cannot read the credential " + config.credentialFile() + ": permission denied");
        } catch (IOException e) {
            throw CliException.failed("cannot read the credential " + config.credentialFile() + ": " + e.getMessage());
        }
    }

    /** The Crane service's calls that the commands make; a failed one throws {@link GrpcConnection.CallFailure}. */
    final class Stub {
        Identity whoAmI(Empty r) {
            return unary("WhoAmI", r, Identity.parser());
        }

        Submitted submitJob(JobRequest r) {
            return unary("SubmitJob", r, Submitted.parser());
        }

        Empty cancelJob(JobRef r) {
            return unary("CancelJob", r, Empty.parser());
        }

        Count cancelJobs(CancelFilter r) {
            return unary("CancelJobs", r, Count.parser());
        }

        Job getJob(JobRef r) {
            return unary("GetJob", r, Job.parser());
        }

        JobList queryJobs(JobQuery r) {
            return unary("QueryJobs", r, JobList.parser());
        }

        Empty modifyJob(ModifyJobRequest r) {
            return unary("ModifyJob", r, Empty.parser());
        }

        NodeList queryNodes(NodeQuery r) {
            return unary("QueryNodes", r, NodeList.parser());
        }

        PartitionList queryPartitions(Empty r) {
            return unary("QueryPartitions", r, PartitionList.parser());
        }

        Empty controlNode(NodeControl r) {
            return unary("ControlNode", r, Empty.parser());
        }

        Empty controlPartition(PartitionControl r) {
            return unary("ControlPartition", r, Empty.parser());
        }

        Empty accountOp(AccountOpRequest r) {
            return unary("AccountOp", r, Empty.parser());
        }

        AccountList queryAccounts(Empty r) {
            return unary("QueryAccounts", r, AccountList.parser());
        }

        UserList queryUsers(Empty r) {
            return unary("QueryUsers", r, UserList.parser());
        }

        QosList queryQos(Empty r) {
            return unary("QueryQos", r, QosList.parser());
        }

        TxnLog transactionLog(Empty r) {
            return unary("TransactionLog", r, TxnLog.parser());
        }

        // ---- job steps (service CraneSteps)
        org.scow.crane.protocol.v1.StepStarted startStep(org.scow.crane.protocol.v1.StepRequest r) {
            return steps("StartStep", r, org.scow.crane.protocol.v1.StepStarted.parser(), TIMEOUT_SECONDS * 1000);
        }

        /** A poll that may wait {@code r.wait_ms}: its deadline is that plus the usual one. */
        org.scow.crane.protocol.v1.StepIoReply stepIo(org.scow.crane.protocol.v1.StepIoRequest r) {
            return steps("StepIo", r, org.scow.crane.protocol.v1.StepIoReply.parser(), TIMEOUT_SECONDS * 1000 + r.getWaitMs());
        }

        Empty cancelStep(org.scow.crane.protocol.v1.StepRef r) {
            return steps("CancelStep", r, Empty.parser(), TIMEOUT_SECONDS * 1000);
        }

        org.scow.crane.protocol.v1.StepList querySteps(org.scow.crane.protocol.v1.StepQuery r) {
            return steps("QuerySteps", r, org.scow.crane.protocol.v1.StepList.parser(), TIMEOUT_SECONDS * 1000);
        }

        private <R> R steps(String method, MessageLite request, Parser<R> replyParser, long timeoutMs) {
            return connection.call(org.scow.crane.protocol.v1.CraneStepsGrpc.SERVICE_NAME + "/" + method, request,
                    replyParser, metadata, timeoutMs);
        }

        private <R> R unary(String method, MessageLite request, Parser<R> replyParser) {
            return connection.call(CraneGrpc.SERVICE_NAME + "/" + method, request, replyParser, metadata,
                    TIMEOUT_SECONDS * 1000);
        }
    }

    /** Runs one call with the standard deadline; a refusal becomes a {@link CliException} with the controller's words. */
    <T> T call(Function<Stub, T> call) throws CliException {
        try {
            return call.apply(stub);
        } catch (GrpcConnection.CallFailure e) {
            throw explain(e);
        }
    }

    /**
     * As {@link #call(Function)} for a submission: a refusal of a request field is said of the option or directive
     * that set it ({@code written}: field -> e.g. {@code --time} or {@code #CBATCH -c 0 (line 3)}), never with the
     * controller's field name ({@code timeLimit:}); a refused value (INVALID_ARGUMENT) exits as bad input (2).
     */
    <T> T call(Function<Stub, T> call, Map<String, String> written) throws CliException {
        try {
            return call.apply(stub);
        } catch (GrpcConnection.CallFailure e) {
            String field = e.trailers.get(ERROR_FIELD_TRAILER);
            String code = e.trailers.get(ERROR_CODE_TRAILER);
            String desc = e.description == null ? "" : e.description;
            if (field == null || code == null || code.equals(UNAUTHENTICATED)) throw explain(e);
            String text = desc.startsWith(field + ": ") ? desc.substring(field.length() + 2) : desc;
            String option = written.get(field);
            if (option != null) text = option + ": " + text;
            throw option != null && code.equals("INVALID_ARGUMENT") ? CliException.usage(text) : CliException.failed(text);
        }
    }

    CliException explain(GrpcConnection.CallFailure e) {
        String code = e.trailers.get(ERROR_CODE_TRAILER);
        String desc = e.description == null || e.description.isEmpty() ? e.code : e.description;
        if (code == null) {
            return switch (e.code) {
                case "UNAVAILABLE" -> CliException.failed("cannot reach cranectld at " + config.target() + " (" + desc
                        + "); is it running? The address comes from CRANE_CONTROLLER or ControllerAddress in the "
                        + "configuration file" + (config.tlsTrustFile() == null
                        ? "; a controller that serves TLS needs its certificate in TlsTrustFile= or CRANE_TLS_TRUST"
                        : "; TLS trusts only " + config.tlsTrustFile()));
                case "DEADLINE_EXCEEDED" -> CliException.failed("cranectld at " + config.target() + " did not answer within "
                        + TIMEOUT_SECONDS + " s");
                default -> CliException.failed("cranectld: " + e.code + ": " + desc);
            };
        }
        if (code.equals(UNAUTHENTICATED)) {
            return CliException.failed("credential " + credentialSource() + " refused: " + desc);
        }
        return CliException.failed(desc);
    }

    private String credentialSource() {
        return config.usesCredentialService() ? "from " + config.credentialSocket() : config.credentialFile().toString();
    }

    @Override
    public void close() {
        connection.close();
    }
}
