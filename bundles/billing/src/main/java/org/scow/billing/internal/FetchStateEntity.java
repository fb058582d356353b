package org.scow.billing.internal;

import java.math.BigDecimal;
import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;
import org.scow.persistence.InstantConverter;

/** Per cluster: the end time up to which finished jobs were fetched. Locked while a page is stored. */
@Entity
@Table(name = "bill_fetch_state")
@SuppressWarnings("unused")
public class FetchStateEntity {
    @Id
    @Column(name = "cluster")
    String cluster;

    @Convert(converter = InstantConverter.class)
    @Column(name = "watermark")
    Instant watermark;

    @Convert(converter = InstantConverter.class)
    @Column(name = "last_run_at")
    Instant lastRunAt;

    @Column(name = "jobs_stored", nullable = false)
    long jobsStored;
}
