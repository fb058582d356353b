package org.scow.federation.internal;

import java.security.Principal;

/** A verified peer call: the calling center and the home user it names. Set by {@link PeerRequestFilter}. */
public record PeerPrincipal(String peer, String user) implements Principal {
    @Override
    public String getName() {
        return peer + "/" + user;
    }
}
