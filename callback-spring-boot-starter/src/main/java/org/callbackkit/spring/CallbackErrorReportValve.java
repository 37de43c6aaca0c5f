package org.callbackkit.spring;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.callbackkit.core.intake.CallbackResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's error report for the requests it refuses before any filter or servlet runs (an encoded
 * slash or NUL in the path, a control character in a header): below the mount path they are
 * journaled and answered with the library's JSON; everything else gets Tomcat's report as Boot
 * configures it by default (no server version, no stack trace).
 */
final class CallbackErrorReportValve extends ErrorReportValve {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackErrorReportValve.class);

    private final Supplier<Refusals> refusals;

    CallbackErrorReportValve(Supplier<Refusals> refusals) {
        this.refusals = refusals;
        setShowServerInfo(false);
        setShowReport(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.isErrorReportRequired()
                || !isCallback(request)) {
            super.report(request, response, throwable);
            return;
        }
        if (!response.setErrorReported()) {
            return;
        }
        CallbackResponse answer;
        try {
            answer = refusals.get().journal(request, status, "refused by Tomcat before the servlet: "
                    + (response.getMessage() == null || response.getMessage().isBlank() ? "HTTP " + status
                            : response.getMessage()));
        } catch (RuntimeException e) { // a bug here must not cost the client its answer
            LOG.error("Could not journal a callback Tomcat refused ({})", status, e);
            answer = Refusals.answer(status, "refused by Tomcat before the servlet");
        }
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("utf-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(new String(answer.body(), StandardCharsets.UTF_8));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the answer was committed; the refusal is journaled
        }
    }

    private boolean isCallback(Request request) {
        try {
            return refusals.get().isCallback(request.getContextPath(), request.getRequestURI());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
