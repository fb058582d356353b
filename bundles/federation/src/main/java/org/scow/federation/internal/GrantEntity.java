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
import org.scow.federation.Grant;

@Entity
@Table(name = "fed_grant")
public class GrantEntity {
    @Id
    // table-generated ids, as in the other bundles: H2 2.2 identities can repeat under concurrent inserts
    @TableGenerator(name = "fed_grant", table = "fed_id_sequence", pkColumnName = "name", valueColumnName = "next_id",
            pkColumnValue = "fed_grant", allocationSize = 10)
    @GeneratedValue(strategy = GenerationType.TABLE, generator = "fed_grant")
    Long id;

    @Column(name = "peer", nullable = false, length = 64)
    String peer;

    @Column(name = "cluster", nullable = false, length = 64)
    String cluster;

    @Column(name = "peer_account", nullable = false, length = 65)
    String peerAccount;

    @Column(name = "local_account", nullable = false, length = 65)
    String localAccount;

    @Column(name = "users", nullable = false, length = 4000)
    String users;

    @Column(name = "credit_limit", nullable = false, precision = 19, scale = 4)
    BigDecimal creditLimit;

    @Column(name = "blocked", nullable = false)
    boolean blocked;

    @Column(name = "comment", length = 1000)
    String comment;

    @Convert(converter = InstantConverter.class)
    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    Grant toGrant() {
        return new Grant(id, peer, cluster, peerAccount, localAccount, Grant.parseUsers(users), creditLimit, blocked,
                comment, createdAt);
    }
}
