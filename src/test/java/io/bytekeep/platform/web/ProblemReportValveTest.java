package io.bytekeep.platform.web;

import java.util.Arrays;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.junit.jupiter.api.Test;

import io.bytekeep.platform.Problem;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemReportValveTest {

    @Test
    void replacesTheHostsHtmlErrorReportAndTheOneTheHostWouldAddAtStart() {
        StandardHost host = new StandardHost();
        ErrorReportValve springBoots = new ErrorReportValve();
        host.getPipeline().addValve(springBoots);

        ProblemReportValve.install(host);
        ProblemReportValve.install(host);

        Valve[] valves = host.getPipeline().getValves();
        assertThat(Arrays.stream(valves).filter(ErrorReportValve.class::isInstance))
                .singleElement().isInstanceOf(ProblemReportValve.class);
        // StandardHost adds an instance of this class at start unless one is in the pipeline: ours is
        assertThat(host.getErrorReportValveClass()).isEqualTo(ProblemReportValve.class.getName());
    }

    @Test
    void tomcatsOwnErrorsBecomeProblemsWithoutInternals() {
        Problem badRequest = ProblemReportValve.problem(400);
        assertThat(badRequest.type()).isEqualTo("urn:bytekeep:problem:bad-request");
        assertThat(badRequest.detail()).contains("headers over the size or count limit");
        assertThat(ProblemReportValve.problem(431).title()).isEqualTo("Request Header Fields Too Large");
        assertThat(ProblemReportValve.problem(505).detail()).doesNotContain("Tomcat").contains("service log");
        assertThat(ProblemReportValve.problem(599).title()).isEqualTo("HTTP 599");
    }
}
