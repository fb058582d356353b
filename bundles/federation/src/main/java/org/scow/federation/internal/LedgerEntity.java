package org.scow.federation.internal;

import java.math.BigDecimal;
import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;
import javax.persistence.TableGenerator;
import org.scow.federation.Settlement;

@Entity
@Table(name = "fed_ledger")
public class LedgerEntity {
    @Id
    // allocation 1: the id is the feed's watermark, so ids must grow in commit order (one writer, no id blocks)
    @TableGenerator(name = "fed_ledger", table = "fed_id_sequence", pkColumnName = "name", valueColumnName = "next_id",
            pkColumnValue = "fed_ledger", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.TABLE, generator = "fed_ledger")
    Long id;

    @Column(name = "peer", nullable = false, length = 64)
    String peer;

    @Column(name = "direction", nullable = false, length = 16)
    String direction;

    @Column(name = "remote_seq")
    Long remoteSeq;

    @Column(name = "cluster", nullable = false, length = 64)
    String cluster;

    @Column(name = "job_id", nullable = false, length = 64)
    String jobId;

    @Column(name = "account", nullable = false, length = 64)
    String account;

    @Column(name = "user_id", nullable = false, length = 64)
    String user;

    @Convert(converter = InstantConverter.class)
    @Column(name = "end_time", nullable = false)
    Instant endTime;

    @Column(name = "amount", nullable = false, precision = 19, scale = 4)
    BigDecimal amount;

    @Column(name = "note", length = 400)
    String note;

    @Convert(converter = InstantConverter.class)
    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    Settlement.Entry toEntry() {
        return new Settlement.Entry(id, peer, Settlement.Direction.valueOf(direction), remoteSeq, cluster, jobId,
                account, user, endTime, amount.setScale(4, java.math.RoundingMode.UNNECESSARY), note);
    }
}
