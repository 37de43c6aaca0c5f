package org.callbackkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.callbackkit.core.TemporarilyUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Auto-commit work: on, whatever the pool hands out, and back as it was; a lost race left to a transaction. */
class JdbcTest {

    private Connection connection;
    private Jdbc jdbc;

    /** A data source that hands out one H2 connection, with auto-commit off, and ignores its close. */
    @BeforeEach
    void oneConnection() throws SQLException {
        connection = DriverManager.getConnection("jdbc:h2:mem:jdbc-test");
        connection.setAutoCommit(false);
        Connection unclosable = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        DataSource dataSource = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return unclosable;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        jdbc = new Jdbc(dataSource, Dialect.H2, Duration.ofSeconds(7));
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    @Test
    void autoCommitWorkRunsInAutoCommitAndHandsTheConnectionBackAsItCame() throws SQLException {
        assertThat(jdbc.withConnection("check", Connection::getAutoCommit)).isTrue();
        assertThat(connection.getAutoCommit()).isFalse();
        assertThat(jdbc.withConnectionOr("check", false, Connection::getAutoCommit)).isTrue();
        assertThat(connection.getAutoCommit()).isFalse();
    }

    @Test
    void aLostRaceIsLeftToTheCallerAndAnyOtherFailureIsUnavailable() {
        assertThat(jdbc.withConnectionOr("race", "raced", c -> {
            throw new SQLException("could not serialize access", "40001");
        })).isEqualTo("raced");
        assertThatThrownBy(() -> jdbc.withConnectionOr("down", "raced", c -> {
            throw new SQLException("connection refused", "08001");
        })).isInstanceOf(TemporarilyUnavailableException.class).hasMessageContaining("down").hasMessageContaining("08001");
        assertThatThrownBy(() -> jdbc.withConnection("race", c -> {
            throw new SQLException("could not serialize access", "40001");
        })).as("no transaction to leave it to").isInstanceOf(TemporarilyUnavailableException.class);
    }
}
