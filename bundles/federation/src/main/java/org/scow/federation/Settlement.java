package org.scow.federation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** The settlement records between this center and its peers, and the statement of a period. */
public final class Settlement {
    private Settlement() {
    }

    /** Which way the money goes. */
    public enum Direction {
        /** A peer's user ran a job here: the peer owes this center. */
        OWED_BY_PEER,
        /** This center's user ran a job at the peer: this center owes the peer. */
        OWED_TO_PEER
    }

    /**
     * One federated job's charge, as the center that ran it priced it.
     *
     * @param seq        this center's sequence number of the record (the feed's watermark at the running center)
     * @param remoteSeq  for a mirrored record, the running center's sequence number; else null
     * @param cluster    the running center's cluster id
     * @param account    the home center's account
     * @param user       the home center's user
     * @param endTime    when the job ended: the statement period it belongs to
     * @param amount     in the running center's currency, 4 decimals
     * @param note       why a mirrored charge could not be charged at home, or null
     */
    public record Entry(long seq, String peer, Direction direction, Long remoteSeq, String cluster, String jobId,
                        String account, String user, Instant endTime, BigDecimal amount, String note) {
    }

    /** Both directions between this center and {@code peer} for jobs that ended in [from, to). */
    public record Statement(String center, String peer, Instant from, Instant to, int jobsOwedByPeer,
                            BigDecimal owedByPeer, int jobsOwedToPeer, BigDecimal owedToPeer, BigDecimal net,
                            List<Entry> entries) {
    }
}
