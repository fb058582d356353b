package org.scow.billing.internal;

import java.math.BigDecimal;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.scow.api.billing.CenterBilling;
import org.scow.api.scheduler.JobInfo;
import org.scow.management.Actor;

/** This center's billing for settlement with other centers: the default table's prices and idempotent charges. */
@Component(service = CenterBilling.class)
public class CenterBillingComponent implements CenterBilling {
    /** Who the billing audit log names for charges settlement makes. */
    static final Actor FEDERATION = new Actor("federation", null);

    @Reference
    private org.scow.billing.BillingService billing;

    @Override
    public Optional<BigDecimal> price(String cluster, JobInfo job) {
        return billing.defaultPrice(cluster, job);
    }

    @Override
    public BigDecimal chargeAccount(String account, BigDecimal amount, String comment, String idempotencyKey) {
        try {
            return billing.charge(FEDERATION, org.scow.billing.BillingService.ACCOUNT, account, amount, comment,
                    idempotencyKey).balance();
        } catch (org.scow.management.ManagementException e) {
            // a refusal (unknown account, a reused key): the contract's IllegalArgumentException, so the caller can
            // tell it from a failure worth retrying
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
