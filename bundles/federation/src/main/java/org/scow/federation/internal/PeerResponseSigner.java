package org.scow.federation.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.ext.WriterInterceptor;
import javax.ws.rs.ext.WriterInterceptorContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.scow.federation.CenterIdentity;
import org.scow.federation.SignedRequests;

/**
 * Signs this center's answers to peer calls ({@link SignedRequests#responseCanonical}), so the calling center knows
 * the answer is ours and unchanged, not only we that the call is theirs. An answer without a body is signed in the
 * response filter; one with a body is signed once the body is written (the writer interceptor holds the bytes back
 * until the signature header is set). Answers to calls without a nonce (not a peer call at all) are left alone.
 */
@Component(service = {ContainerResponseFilter.class, WriterInterceptor.class})
@JaxrsExtension
@JSONRequired
// no other extension of the platform rewrites a peer answer's bytes, so where this runs among them does not matter
@Priority(Priorities.USER + 900)
public class PeerResponseSigner implements ContainerResponseFilter, WriterInterceptor {
    private static final String SIGN = "org.scow.federation.signResponse";

    private final CenterIdentity center;

    @Activate
    public PeerResponseSigner(@Reference CenterIdentity center) {
        this.center = center;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String nonce = request.getHeaderString(SignedRequests.NONCE);
        if (nonce == null || !PeerRequestFilter.isPeerPath(request.getUriInfo().getPath())) {
            return;
        }
        response.getHeaders().putSingle(SignedRequests.RESPONDER, center.id());
        if (response.hasEntity()) {
            // the writer interceptor signs the written bytes; request properties are shared with it (JAX-RS 2.0)
            request.setProperty(SIGN, response.getStatus() + " " + nonce);
        } else {
            response.getHeaders().putSingle(SignedRequests.SIGNATURE, sign(response.getStatus(), nonce, new byte[0]));
        }
    }

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        Object pending = context.getProperty(SIGN);
        if (pending == null) {
            context.proceed();
            return;
        }
        context.removeProperty(SIGN);
        String[] statusAndNonce = String.valueOf(pending).split(" ", 2);
        OutputStream out = context.getOutputStream();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        context.setOutputStream(body);
        context.proceed();
        byte[] bytes = body.toByteArray();
        context.getHeaders().putSingle(SignedRequests.SIGNATURE,
                sign(Integer.parseInt(statusAndNonce[0]), statusAndNonce[1], bytes));
        out.write(bytes);
        context.setOutputStream(out);
    }

    private String sign(int status, String nonce, byte[] body) {
        return center.sign(SignedRequests.utf8(SignedRequests.responseCanonical(status, center.id(), nonce, body)));
    }
}
