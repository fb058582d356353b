package org.scow.management.internal;

import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inside the management bundle: the management service says here which accounts changed (and which members were
 * removed) after each commit, and cluster sync listens. So neither reaches into the other.
 */
@Component(service = AccountChanges.class)
public class AccountChanges {
    private static final Logger LOG = LoggerFactory.getLogger(AccountChanges.class);

    private volatile Consumer<String> accountChanged = a -> { };
    private volatile BiConsumer<String, String> memberRemoved = (a, u) -> { };

    /** Sets the listeners (null: none). */
    public void listen(Consumer<String> onAccountChanged, BiConsumer<String, String> onMemberRemoved) {
        this.accountChanged = onAccountChanged == null ? a -> { } : onAccountChanged;
        this.memberRemoved = onMemberRemoved == null ? (a, u) -> { } : onMemberRemoved;
    }

    void accountChanged(String account) {
        try {
            accountChanged.accept(account);
        } catch (RuntimeException e) {
            LOG.warn("Applying account '{}' on the clusters failed; reconciliation will retry", account, e);
        }
    }

    void memberRemoved(String account, String user) {
        memberRemoved.accept(account, user);
    }
}
