package org.scow.loginnode;

import org.osgi.annotation.versioning.ProviderType;
import java.io.IOException;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;

/**
 * A lease on a pooled SSH session to a login node, authenticated as one user. Closing the lease gives the session back
 * to the pool (it stays open until it has been idle for the configured time); never close the session or the SFTP
 * client themselves.
 */
@ProviderType
public interface LoginConnection extends AutoCloseable {
    /** The node this session is connected to. */
    LoginNode node();

    /** The Unix user the session is authenticated as. */
    String user();

    /** The SSH session, for opening channels (for example a shell with a PTY). */
    ClientSession session();

    /** The session's SFTP client, shared by every lease of the session; it supports concurrent requests. */
    SftpClient sftp() throws IOException;

    /** Gives the session back to the pool. */
    @Override
    void close();
}
