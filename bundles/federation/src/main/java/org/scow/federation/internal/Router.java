package org.scow.federation.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.scow.api.scheduler.ClusterUsage;
import org.scow.api.scheduler.Partition;
import org.scow.api.scheduler.SchedulerDriver;
import org.scow.api.scheduler.SchedulerException;
import org.scow.api.billing.CenterBilling;
import org.scow.api.scheduler.JobInfo;
import org.scow.api.scheduler.JobState;

/**
 * Picks the center, cluster and partition for a job submitted to the federation, and says why. Every cluster (local
 * or a peer's, through the remote driver) is asked for its partitions and live usage in parallel, within a deadline;
 * a cluster that fails or does not answer in time is skipped with the reason. Each partition that can hold the job
 * gets a score, lower is better, in minutes:
 * <ul>
 * <li>estimated start: 0 when enough cores are idle and nothing is queued, otherwise the queue ahead (pending jobs,
 * plus this one when it does not fit now) times the job's time limit, spread over the partition's nodes: a crude
 * estimate that uses the job's own limit as the run time of the jobs ahead, shown as such;</li>
 * <li>price: the job at its full time limit under the running center's own price table (this center's for its
 * clusters, the peer's quote for a peer's) times {@code minutesPerPriceUnit} (unknown: 0);</li>
 * <li>data: {@code dataPenaltyMinutes} when the input files are at another center;</li>
 * <li>preference: {@code preferencePenaltyMinutes} per rank below the user's first choice (centers not listed rank
 * after the listed ones).</li>
 * </ul>
 */
public final class Router {
    /** What to place. */
    public record Request(int nodes, int coresPerNode, int gpusPerNode, long timeLimitMinutes,
                          List<String> preferredCenters, String dataCenter, Weights weights) {
        public Request {
            preferredCenters = preferredCenters == null ? List.of() : List.copyOf(preferredCenters);
            weights = weights == null ? Weights.DEFAULT : weights;
        }
    }

    /** How much each criterion weighs, in minutes of start time. */
    public record Weights(double minutesPerPriceUnit, double dataPenaltyMinutes, double preferencePenaltyMinutes) {
        public static final Weights DEFAULT = new Weights(0, 30, 10);
    }

    /**
     * The running center's prices of a job shape per partition (a partition without a price: absent), asked of the
     * center itself so each center's own table decides.
     */
    @FunctionalInterface
    public interface Quote {
        Map<String, BigDecimal> prices(Request r) throws SchedulerException;
    }

    /**
     * A cluster to consider and the center that runs it. A local cluster is priced with this center's table; a
     * peer's with its {@code quote} (null: the peer's price is unknown).
     */
    public record Target(String center, String cluster, SchedulerDriver driver, boolean local, Quote quote) {
        public Target(String center, String cluster, SchedulerDriver driver) {
            this(center, cluster, driver, true, null);
        }

        public Target(String center, String cluster, SchedulerDriver driver, boolean local) {
            this(center, cluster, driver, local, null);
        }
    }

    /** One partition that can hold the job. */
    public record Option(String center, String cluster, String partition, long estimatedStartMinutes,
                         BigDecimal estimatedPrice, double score, String why) {
    }

    /** A cluster left out, and why. */
    public record Skipped(String center, String cluster, String reason) {
    }

    /** The choice (null when nothing fits), every option by score, the skipped clusters and the time it took. */
    public record Decision(Option chosen, List<Option> options, List<Skipped> skipped, long decisionMicros) {
    }

    private final ExecutorService calls;
    private final Duration deadline;
    private final CenterBilling prices;

    public Router(ExecutorService calls, Duration deadline, CenterBilling prices) {
        this.calls = calls;
        this.deadline = deadline;
        this.prices = prices;
    }

    /** A cluster's partitions, live usage and, for a peer's cluster, its own prices (null: not known). */
    private record Facts(List<Partition> partitions, ClusterUsage usage, Map<String, BigDecimal> peerPrices) {
    }

    /** Asks the cluster for partitions, usage and (a peer's) prices at once: each is a network call for a peer. */
    private Facts facts(Request r, Target t) throws Exception {
        Future<List<Partition>> partitions = calls.submit(() -> t.driver().partitions());
        Future<ClusterUsage> usage = calls.submit(() -> t.driver().usage());
        Future<Map<String, BigDecimal>> quote = t.local() || t.quote() == null ? null
                : calls.submit(() -> t.quote().prices(r));
        try {
            Map<String, BigDecimal> peerPrices = null;
            if (quote != null) {
                try {
                    peerPrices = quote.get();
                } catch (ExecutionException e) {
                    peerPrices = null; // a peer too old to quote, or a failed quote: its price stays unknown
                }
            }
            return new Facts(partitions.get(), usage.get(), peerPrices);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e; // the cluster's own error is the reason
        } finally {
            partitions.cancel(true);
            usage.cancel(true);
            if (quote != null) {
                quote.cancel(true);
            }
        }
    }

    public Decision route(Request r, List<Target> targets) {
        long started = System.nanoTime();
        List<Future<Facts>> answers = new ArrayList<>();
        for (Target t : targets) {
            answers.add(calls.submit(() -> facts(r, t)));
        }
        long end = started + deadline.toNanos();
        List<Option> options = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            Facts facts;
            try {
                facts = answers.get(i).get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                answers.get(i).cancel(true);
                skipped.add(new Skipped(t.center(), t.cluster(), "no answer within " + deadline.toMillis() + " ms"));
                continue;
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                skipped.add(new Skipped(t.center(), t.cluster(), c instanceof SchedulerException se
                        ? se.code() + ": " + se.getMessage() : String.valueOf(c)));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                skipped.add(new Skipped(t.center(), t.cluster(), "interrupted"));
                continue;
            }
            int before = options.size();
            for (Partition p : facts.partitions()) {
                option(r, t, p, facts).ifPresent(options::add);
            }
            if (options.size() == before) {
                skipped.add(new Skipped(t.center(), t.cluster(), "no up partition has " + r.nodes() + " node(s) with "
                        + r.coresPerNode() + " core(s) and " + r.gpusPerNode() + " GPU(s) each"));
            }
        }
        options.sort(Comparator.comparingDouble(Option::score));
        return new Decision(options.isEmpty() ? null : options.get(0), List.copyOf(options), List.copyOf(skipped),
                (System.nanoTime() - started) / 1000);
    }

    private static String priceText(Target t, BigDecimal price, Facts facts) {
        if (price != null) {
            return price.toPlainString() + (t.local() ? " (this center's table)" : " (" + t.center() + "'s own table)");
        }
        if (t.local() || facts.peerPrices() != null) {
            return "unknown (no price for this partition)";
        }
        return "unknown (" + t.center() + " gave no quote)";
    }

    private Optional<Option> option(Request r, Target t, Partition p, Facts facts) {
        ClusterUsage usage = facts.usage();
        if (!p.up() || p.nodes() < r.nodes() || p.nodes() == 0
                || p.cores() / p.nodes() < r.coresPerNode() || p.gpus() / Math.max(1, p.nodes()) < r.gpusPerNode()
                || p.maxTimeMinutes() != null && p.maxTimeMinutes() < r.timeLimitMinutes()) {
            return Optional.empty();
        }
        ClusterUsage.Usage u = usage.partitions().stream().filter(x -> x.partition().equals(p.name()))
                .map(ClusterUsage.PartitionUsage::usage).findFirst().orElse(usage.total());
        int need = r.nodes() * r.coresPerNode();
        boolean fitsNow = u.cpus().idle() >= need && u.pendingJobs() == 0;
        long ahead = u.pendingJobs() + (u.cpus().idle() >= need ? 0 : 1);
        long start = fitsNow ? 0 : (long) Math.ceil((double) ahead * r.timeLimitMinutes() / Math.max(1, p.nodes()));
        // the job as if it had run its whole time limit, priced by the running center's own table: ours for local
        // clusters, the peer's own quote for a peer's cluster
        BigDecimal price;
        if (t.local()) {
            price = prices == null ? null : prices.price(t.cluster(), JobInfo.builder("route", JobState.PENDING)
                    .partition(p.name()).cpusReq(need).gpusReq(r.nodes() * r.gpusPerNode()).nodesReq(r.nodes())
                    .elapsedSeconds(r.timeLimitMinutes() * 60).build()).orElse(null);
        } else {
            price = facts.peerPrices() == null ? null : facts.peerPrices().get(p.name());
        }
        boolean dataHere = r.dataCenter() == null || r.dataCenter().equals(t.center());
        int rank = r.preferredCenters().indexOf(t.center());
        int ranks = r.preferredCenters().isEmpty() ? 0 : rank < 0 ? r.preferredCenters().size() : rank;
        Weights w = r.weights();
        double score = start + (price == null ? 0 : price.doubleValue() * w.minutesPerPriceUnit())
                + (dataHere ? 0 : w.dataPenaltyMinutes()) + ranks * w.preferencePenaltyMinutes();
        String why = (fitsNow ? "starts now (" + u.cpus().idle() + " idle cores, nothing queued)"
                : "starts in ~" + start + " min (" + u.pendingJobs() + " queued, " + u.cpus().idle()
                        + " idle cores; queue x time limit / nodes)")
                + "; price " + priceText(t, price, facts)
                + "; input data " + (r.dataCenter() == null ? "not given" : dataHere ? "here" : "at " + r.dataCenter())
                + (r.preferredCenters().isEmpty() ? "" : "; preference " + (rank < 0 ? "not listed" : "#" + (rank + 1)))
                + "; score " + Math.round(score * 100) / 100.0;
        return Optional.of(new Option(t.center(), t.cluster(), p.name(), start, price, score, why));
    }
}
