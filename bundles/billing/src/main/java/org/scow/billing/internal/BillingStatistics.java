package org.scow.billing.internal;

import static org.scow.persistence.Transactions.read;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import org.scow.billing.Scope;
import org.scow.billing.StatisticsReport;
import org.scow.billing.StatisticsReport.Day;
import org.scow.billing.StatisticsReport.TopAccount;
import javax.persistence.TypedQuery;
import org.scow.management.ManagementException;
import org.scow.management.ManagementService;
import org.scow.management.Model;

/**
 * Usage and money over a time range, per UTC day, within a caller's {@link Scope}: account charges (job, manual and
 * adjustment records), payments to accounts and tenants, finished jobs and their core-hours, new users and accounts;
 * and the accounts charged most.
 */
final class BillingStatistics {
    /** Longest range of one report. */
    public static final Duration MAX_RANGE = Duration.ofDays(366);

    private final EntityManagerFactory emf;
    private final ManagementService management;

    BillingStatistics(EntityManagerFactory emf, ManagementService management) {
        this.emf = emf;
        this.management = management;
    }

    /** [from, to) by UTC day; {@code top} accounts by charges (1..100). */
    public StatisticsReport report(Scope scope, Instant from, Instant to, int top) {
        if (from == null || to == null) {
            throw ManagementException.invalid(from == null ? "from" : "to", "is required");
        }
        if (!from.isBefore(to)) {
            throw ManagementException.invalid("from", "must lie before to");
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw ManagementException.invalid("to", "a report covers at most " + MAX_RANGE.toDays() + " days");
        }
        if (top < 1 || top > 100) {
            throw ManagementException.invalid("top", "must be 1..100");
        }
        Map<LocalDate, Acc> days = new TreeMap<>();
        for (LocalDate d = day(from); !d.isAfter(day(to.minusNanos(1000))); d = d.plusDays(1)) {
            days.put(d, new Acc());
        }
        Map<String, TopAcc> accounts = new HashMap<>();
        boolean noAccounts = scope.accounts() != null && scope.accounts().isEmpty();
        read(emf, em -> {
            if (!noAccounts) {
                for (Object[] r : query(em, "SELECT r.chargedAt, r.amount, r.target FROM ChargeRecordEntity r "
                        + "WHERE r.targetType = 'ACCOUNT' AND r.chargedAt >= :from AND r.chargedAt < :to"
                        + accountFilter(scope, "r.target", "r.userId"), scope, from, to)) {
                    days.get(day((Instant) r[0])).charges = days.get(day((Instant) r[0])).charges.add((BigDecimal) r[1]);
                    accounts.computeIfAbsent((String) r[2], k -> new TopAcc()).charges =
                            accounts.get((String) r[2]).charges.add((BigDecimal) r[1]);
                }
                for (Object[] r : query(em, "SELECT j.endTime, j.cpus, j.elapsedSeconds, j.account, j.tenant "
                        + "FROM JobEntity j WHERE j.endTime >= :from AND j.endTime < :to"
                        + accountFilter(scope, "j.account", "j.userId"), scope, from, to)) {
                    Acc a = days.get(day((Instant) r[0]));
                    a.jobs++;
                    long cpus = r[1] == null ? 0 : ((Number) r[1]).longValue();
                    a.coreSeconds += cpus * ((Number) r[2]).longValue();
                    if (r[3] != null) {
                        TopAcc t = accounts.computeIfAbsent((String) r[3], k -> new TopAcc());
                        t.jobs++;
                        t.tenant = (String) r[4];
                    }
                }
            }
            if (scope.user() == null) {
                payments(em, scope, from, to, days);
            }
            return null;
        });
        newUsersAndAccounts(scope, from, to, days);

        List<Day> daily = new ArrayList<>();
        days.forEach((d, a) -> daily.add(new Day(d, a.charges, a.payments, a.jobs,
                BigDecimal.valueOf(a.coreSeconds).divide(BigDecimal.valueOf(3600), 2, RoundingMode.HALF_UP),
                a.newUsers, a.newAccounts)));
        Map<String, String> tenants = new HashMap<>();
        List<TopAccount> best = accounts.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, TopAcc>, BigDecimal>comparing(e -> e.getValue().charges)
                        .reversed().thenComparing(e -> -e.getValue().jobs).thenComparing(Map.Entry::getKey))
                .limit(top)
                .map(e -> new TopAccount(e.getKey(), e.getValue().tenant != null ? e.getValue().tenant
                        : tenants.computeIfAbsent(e.getKey(), k -> management.account(k).map(Model.Account::tenant)
                        .orElse(null)), e.getValue().charges, e.getValue().jobs))
                .toList();
        return new StatisticsReport(from, to, daily, best);
    }

    private static void payments(EntityManager em, Scope scope, Instant from, Instant to, Map<LocalDate, Acc> days) {
        List<String> allowed = new ArrayList<>();
        Map<String, Object> p = new LinkedHashMap<>();
        if (scope.accounts() == null) {
            allowed.add("r.targetType = 'ACCOUNT'");
        } else if (!scope.accounts().isEmpty()) {
            allowed.add("(r.targetType = 'ACCOUNT' AND r.target IN :accounts)");
            p.put("accounts", scope.accounts());
        }
        if (scope.tenants() == null) {
            allowed.add("r.targetType = 'TENANT'");
        } else if (!scope.tenants().isEmpty()) {
            allowed.add("(r.targetType = 'TENANT' AND r.target IN :tenants)");
            p.put("tenants", scope.tenants());
        }
        if (allowed.isEmpty()) {
            return;
        }
        TypedQuery<Object[]> q = em.createQuery("SELECT r.paidAt, r.amount FROM PayRecordEntity r WHERE r.paidAt >= "
                + ":from AND r.paidAt < :to AND (" + String.join(" OR ", allowed) + ")", Object[].class)
                .setParameter("from", from).setParameter("to", to);
        p.forEach(q::setParameter);
        for (Object[] r : q.getResultList()) {
            Acc a = days.get(day((Instant) r[0]));
            a.payments = a.payments.add((BigDecimal) r[1]);
        }
    }

    private void newUsersAndAccounts(Scope scope, Instant from, Instant to, Map<LocalDate, Acc> days) {
        String tenant = scope.tenants() != null && scope.tenants().size() == 1 ? scope.tenants().iterator().next()
                : null;
        boolean wholeTenants = scope.accounts() == null || tenant != null;
        if (scope.user() != null) {
            return;
        }
        if (wholeTenants) {
            for (Model.User u : management.users(tenant)) {
                count(u.createdAt(), from, to, days, true);
            }
        }
        for (Model.Account a : management.accounts(tenant)) {
            if (scope.includes(a.name())) {
                count(a.createdAt(), from, to, days, false);
            }
        }
    }

    private static void count(Instant at, Instant from, Instant to, Map<LocalDate, Acc> days, boolean user) {
        if (at != null && !at.isBefore(from) && at.isBefore(to)) {
            Acc a = days.get(day(at));
            if (user) {
                a.newUsers++;
            } else {
                a.newAccounts++;
            }
        }
    }

    private static String accountFilter(Scope scope, String accountField, String userField) {
        return (scope.accounts() == null ? "" : " AND " + accountField + " IN :accounts")
                + (scope.user() == null ? "" : " AND " + userField + " = :user");
    }

    private static List<Object[]> query(EntityManager em, String jpql, Scope scope, Instant from, Instant to) {
        TypedQuery<Object[]> q = em.createQuery(jpql, Object[].class).setParameter("from", from)
                .setParameter("to", to);
        if (scope.accounts() != null) {
            q.setParameter("accounts", scope.accounts());
        }
        if (scope.user() != null) {
            q.setParameter("user", scope.user());
        }
        return q.getResultList();
    }

    private static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }

    private static final class Acc {
        BigDecimal charges = Money.zero();
        BigDecimal payments = Money.zero();
        long jobs;
        long coreSeconds;
        long newUsers;
        long newAccounts;
    }

    private static final class TopAcc {
        BigDecimal charges = Money.zero();
        long jobs;
        String tenant;
    }
}
