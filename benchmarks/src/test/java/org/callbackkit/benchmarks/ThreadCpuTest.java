package org.callbackkit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    private static final long BUSY_NANOS = TimeUnit.MILLISECONDS.toNanos(40);

    @Test
    void chargesEachThreadsCpuToItsKindByName() throws Exception {
        ThreadCpu.Snapshot start = ThreadCpu.now();
        CountDownLatch measured = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (String name : List.of("load-7", "qtp-worker", "GC Thread#9", "C2 CompilerThread9")) {
            threads.add(busy(name, measured));
        }
        ThreadCpu.Split split = ThreadCpu.between(start, ThreadCpu.now()); // all still alive, as a load's threads are
        measured.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        // each busy thread's own CPU clock passed BUSY_NANOS; the JVM's own threads of each kind add to theirs
        assertThat(split.clientNanos()).isGreaterThanOrEqualTo(BUSY_NANOS).isLessThan(split.serverNanos());
        assertThat(split.collectorNanos()).isGreaterThanOrEqualTo(BUSY_NANOS);
        assertThat(split.compilerNanos()).isGreaterThanOrEqualTo(BUSY_NANOS);
    }

    @Test
    void writesMicrosecondsPerRequestAndADashWhenNothingWasRead() {
        ThreadCpu.Split split = new ThreadCpu.Split(20_000_000, 3_000_000, 10_000_000, 1_000_000);

        assertThat(split.perRequest(1_000)).isEqualTo("20.0 / 3.0 / 10.0 (34.0)");
        assertThat(split.perRequest(0)).isEqualTo("-");
        assertThat(new ThreadCpu.Split(0, 0, 0, 0).perRequest(1_000)).isEqualTo("-");
    }

    /**
     * Starts a thread named {@code name} that spins until its own CPU clock has passed
     * {@link #BUSY_NANOS}, then waits for {@code measured}; returns once it spun.
     */
    private static Thread busy(String name, CountDownLatch measured) throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        CountDownLatch spun = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            long until = threads.getCurrentThreadCpuTime() + BUSY_NANOS;
            while (threads.getCurrentThreadCpuTime() < until) {
                Thread.onSpinWait();
            }
            spun.countDown();
            try {
                measured.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        thread.start();
        spun.await();
        return thread;
    }
}
