package org.callbackkit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading wrk's report, from reports wrk 4.1.0 printed (units vary, lines may end in spaces). */
class WrkCheckTest {

    @Test
    void readsRateLatencyDistributionAndErrors() {
        WrkCheck.WrkOutcome outcome = WrkCheck.parse("""
                Running 3s test @ http://127.0.0.1:42407/callbacks/
                  2 threads and 16 connections
                  Thread Stats   Avg      Stdev     Max   +/- Stdev
                    Latency   147.21ms  300.87ms   1.23s    86.00%
                    Req/Sec     3.30k     3.75k   18.59k    86.49%
                  Latency Distribution
                     50%  812.00us
                     75%   84.36ms
                     90%  671.09ms
                     99%    1.18s\s
                  13353 requests in 3.26s, 0.96MB read
                  Socket errors: connect 0, read 2, write 0, timeout 3
                  Non-2xx or 3xx responses: 7
                Requests/sec:   4095.18
                Transfer/sec:    299.94KB
                """);

        assertThat(outcome).isEqualTo(new WrkCheck.WrkOutcome(13353, 4095.18, 0.812, 671.09, 1180, 7, 5));
    }

    @Test
    void aCleanRunHasNoErrors() {
        WrkCheck.WrkOutcome outcome = WrkCheck.parse("""
                  Latency Distribution
                     50%  100.00us
                     75%  200.00us
                     90%  300.00us
                     99%    1.00ms
                  100 requests in 1.00s, 10KB read
                Requests/sec:    100.00
                """);

        assertThat(outcome.non2xx() + outcome.errors()).isZero();
        assertThat(outcome.p99()).isEqualTo(1.0);
    }
}
